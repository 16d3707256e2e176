"""The channels a hire came through (online, walk-in, call list, fair, park visit, live session, gig), and how
an application's stored channel maps to one. A capability that brings people in another way (job fairs, park
visits, live sessions) adds its channel with `register_channel` and, if its applications carry their own
`channel` value, maps that value here; a call-list outcome that led to the application wins over both."""

from __future__ import annotations

CHANNELS: dict[str, str] = {
    "online": "线上自助报名",
    "walk_in": "到站登记代报",
    "call_list": "外呼名单",
    "fair": "招聘会",
    "park_visit": "入园入企",
    "live": "直播带岗",
    "gig": "零工市场",
    "other": "其他",
}

#: Application.channel value -> channel key
APPLICATION_CHANNELS: dict[str, str] = {
    "self": "online",
    "staff": "walk_in",
    # the events / live apps' values, when they add them (kept here so a figure is never lost as "other")
    "fair": "fair",
    "event": "fair",
    "fair_offline": "fair",
    "fair_online": "fair",
    "visit": "park_visit",
    "park_visit": "park_visit",
    "live": "live",
    "live_session": "live",
}


def register_channel(key: str, label: str, *application_values: str) -> None:
    CHANNELS[key] = label
    for value in application_values:
        APPLICATION_CHANNELS[value] = key


def application_channel(value: str, *, from_call_list: bool = False, event_kind: str = "") -> str:
    """The channel of an application: a call list first, then the event it came from, then its own value."""
    if from_call_list:
        return "call_list"
    if event_kind:
        return APPLICATION_CHANNELS.get(event_kind, "fair")
    return APPLICATION_CHANNELS.get(value or "", "other")


def label(key: str) -> str:
    return CHANNELS.get(key, key)
