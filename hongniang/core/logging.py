"""A logging filter that masks personal data: 11-digit mainland mobile numbers (139****0001) and 18-character
ID numbers (3607**********1234). Installed on the console handler in settings.LOGGING."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    text = ID_RE.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    return PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is logged as is
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


# The standard LogRecord attributes: anything else on a record (logger.info(..., extra={...})) is a field.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("x", logging.INFO, "", 0, "", (), None))) | {"message", "asctime"}

# gunicorn's access-log atoms (record.args is their dict): written as named fields, not a formatted line
_ACCESS_ATOMS = {"h": "remote", "m": "method", "U": "path", "q": "query", "s": "status", "B": "bytes",
                 "M": "duration_ms", "a": "user_agent", "f": "referer"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (UTC, ISO 8601), level, logger, pid, msg, the record's extra fields, and exc
    (the traceback) when there is one. gunicorn's access records become method/path/query/status/bytes/
    duration_ms/remote/user_agent/referer fields. The finished line is masked as a whole (mask_text), so no field —
    a path with a phone number in it, an exception's text — can carry a phone or ID number out."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            out["msg"] = "request"
            for atom, field in _ACCESS_ATOMS.items():
                value = record.args.get(atom)
                if value not in (None, "", "-"):
                    out[field] = value
            if "status" in out:
                try:
                    out["status"] = int(out["status"])
                except (TypeError, ValueError):
                    pass
        else:
            try:
                out["msg"] = record.getMessage()
            except Exception:  # noqa: BLE001 - a broken format string is logged as it is
                out["msg"] = str(record.msg)
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRS and not key.startswith("_") and key not in out:
                out[key] = value if isinstance(value, int | float | bool | type(None)) else str(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exc"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return mask_text(json.dumps(out, ensure_ascii=False, default=str))
