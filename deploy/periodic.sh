#!/usr/bin/env bash
# The periodic management commands, each with --wet-run; one failing does not stop the others, and the script
# exits non-zero if any failed (systemd then shows the unit failed). Usage: deploy/periodic.sh nightly|morning|frequent
# Run from the project directory with the production environment (the systemd unit does both).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
failed=0
run() {
  echo "periodic: $*"
  "$PY" manage.py "$@" || { echo "periodic: FAILED: $*" >&2; failed=1; }
}
case "${1:-}" in
  nightly)
    run expire_postings --wet-run
    run expire_verifications --wet-run
    run close_stale_applications --wet-run
    run schedule_followups --wet-run
    run check_gig_arrears --wet-run
    run check_workshop_arrears --wet-run
    run purge_import_batches --wet-run
    run record_event_outcomes --wet-run
    run aggregate_stats --wet-run
    run prune_db_task_results --min-age-days 30
    # the database and the uploaded files, one archive a night, kept BACKUP_KEEP_DAYS (14); copy them off the machine
    run backup
    find "${HONGNIANG_VAR_DIR:-var}/backups" -name 'hongniang-*.tar.gz' -mtime "+${BACKUP_KEEP_DAYS:-14}" -delete
    ;;
  morning)
    run send_event_reminders --wet-run
    run send_monthly_report --wet-run
    ;;
  frequent)
    run sms_recover --wet-run  # SMS left queued by a dead task worker (docs/robustness.md)
    ;;
  *) echo "usage: $0 nightly|morning|frequent" >&2; exit 2;;
esac
exit $failed
