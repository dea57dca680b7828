"""Outgoing e-mail: the `outbound_emails` outbox and its delivery.

Any domain queues a message with `queue_email` inside its own transaction, so
the message exists exactly when the change that caused it was committed. With
`SMTP_URL` set an RQ job (`jobs.mail.send_outbound_email`) sends it over SMTP
and retries on failure; without it the messages stay readable on the admins'
Outbox page. Nothing else writes the outbox.
"""
