"""Move every encrypted column onto the current FIELD_KEY (after a key rotation).

    FIELD_KEY=<new> FIELD_KEY_PREVIOUS=<old> manage.py reencrypt_fields            # what would change
    FIELD_KEY=<new> FIELD_KEY_PREVIOUS=<old> manage.py reencrypt_fields --wet-run  # re-encrypt and re-hash

Finds the columns in each model's ENCRYPTED_FIELDS (hongniang.core.crypto). A row whose ciphertext is not
under the current key is decrypted with whichever key reads it and encrypted again; its look-up hash is
recomputed from the plain value. Rows are changed in batches, each in its own transaction, so the command can
be stopped and run again. A value no key can read is reported and left alone. When the dry run reports no
rows to change, FIELD_KEY_PREVIOUS can be dropped."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from hongniang.core import crypto

BATCH = 500


def encrypted_models():
    for model in apps.get_models():
        fields = getattr(model, "ENCRYPTED_FIELDS", None)
        if fields:
            yield model, list(fields)


class Command(BaseCommand):
    help = "Re-encrypt ID numbers and other encrypted columns under the current FIELD_KEY (needs --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="change the rows (default: only report)")

    def handle(self, *args, wet_run: bool = False, **options):
        total = 0
        for model, fields in encrypted_models():
            label = model._meta.label
            changed = unreadable = 0
            last_pk = 0
            while True:
                rows = list(model._default_manager.filter(pk__gt=last_pk).order_by("pk")
                            .only("pk", *[c for c, h in fields] + [h for c, h in fields if h])[:BATCH])
                if not rows:
                    break
                last_pk = rows[-1].pk
                with transaction.atomic():
                    for row in rows:
                        updates = {}
                        for cipher_field, hash_field in fields:
                            token = getattr(row, cipher_field) or ""
                            if not token:
                                continue
                            try:
                                plain = crypto.decrypt(token)
                            except crypto.InvalidToken:
                                unreadable += 1
                                continue
                            if not crypto.is_current(token):
                                updates[cipher_field] = crypto.encrypt(plain)
                            if hash_field and getattr(row, hash_field) and \
                                    getattr(row, hash_field) != crypto.lookup_hash(plain):
                                updates[hash_field] = crypto.lookup_hash(plain)
                        if updates:
                            changed += 1
                            if wet_run:
                                model._default_manager.filter(pk=row.pk).update(**updates)
            total += changed
            verb = "re-encrypted" if wet_run else "would re-encrypt"
            self.stdout.write(f"{label}: {verb} {changed} rows" +
                              (f"; {unreadable} values no key can read (left alone)" if unreadable else ""))
        if not wet_run and total:
            self.stdout.write("dry run: nothing changed; add --wet-run to re-encrypt")
        elif not total:
            self.stdout.write("every encrypted value is under the current FIELD_KEY")
