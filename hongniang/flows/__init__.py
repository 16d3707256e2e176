"""Work that spans apps. A flow calls several apps' services inside one transaction; the apps never import each
other upward. Examples: register-and-apply, hire + schedule follow-ups, an event check-in that records an
application, a live sign-up that becomes a lead and then an application, account deletion."""
