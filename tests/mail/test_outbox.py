"""The outbox: messages written with the change that caused them, sent over a real SMTP server by the
RQ job (retried when the server refuses), or kept readable on the Outbox page without SMTP."""
from __future__ import annotations

import socket
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from redis import Redis
from rq import SimpleWorker

from tests.factories import hx


class Mailbox:
    """aiosmtpd handler: answers the first `refuse` messages with 451, accepts and keeps the rest."""

    def __init__(self, refuse: int = 0):
        self.refuse, self.messages = refuse, []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 Try again later"
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost: smtp_server(refuse=0) -> (url, mailbox)."""
    controllers = []

    def start(refuse: int = 0):
        mailbox = Mailbox(refuse)
        port = free_port()
        controller = Controller(mailbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return f"smtp://127.0.0.1:{port}", mailbox
    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def mail_config(app, monkeypatch):
    """SMTP settings of the session app for one test; jobs run with that app."""
    import jobs

    def configure(smtp_url: str, retries: tuple = (0, 0)):
        monkeypatch.setitem(app.config, "SMTP_URL", smtp_url)
        monkeypatch.setitem(app.config, "MAIL_RETRY_INTERVALS", retries)
        monkeypatch.setitem(app.config, "MAIL_SMTP_TIMEOUT_SECONDS", 5)
    jobs.set_worker_app(app)
    yield configure
    jobs.set_worker_app(None)


def run_mail_worker(app) -> None:
    SimpleWorker(["default"], connection=Redis.from_url(app.config["REDIS_URL"])).work(burst=True,
                                                                                     logging_level="WARNING")


def queued_email(app, agency, recipient="guest@example.com"):
    """Write a message as a domain would (in its transaction), commit, then hand it to delivery."""
    from app.extensions import db
    from app.mail import service

    with app.app_context():
        email = service.queue_email(agency.id, recipient, "Your request", "Hello,\nthank you.")
        db.session.commit()
        service.deliver(email.id)
        return email.id


def email_row(app, email_id):
    from app.extensions import db
    from app.mail.models import OutboundEmail

    with app.app_context():
        row = db.session.get(OutboundEmail, email_id)
        return row.status, row.attempts, row.sent_at, row.last_error


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_job_sends_over_smtp(app, make_agency, smtp_server, mail_config):
    url, mailbox = smtp_server()
    mail_config(url)
    email_id = queued_email(app, make_agency())
    run_mail_worker(app)
    status, attempts, sent_at, error = email_row(app, email_id)
    assert (status, attempts, error) == ("sent", 1, None) and sent_at is not None
    [envelope] = mailbox.messages
    assert envelope.rcpt_tos == ["guest@example.com"]
    content = envelope.content.decode()
    assert "Subject: Your request" in content and "thank you." in content and "Message-ID:" in content


def test_refused_send_is_retried_by_the_job(app, make_agency, smtp_server, mail_config):
    url, mailbox = smtp_server(refuse=1)
    mail_config(url)
    email_id = queued_email(app, make_agency())
    run_mail_worker(app)
    status, attempts, _, error = email_row(app, email_id)
    assert (status, attempts, error) == ("sent", 2, None) and len(mailbox.messages) == 1


def test_unreachable_server_fails_after_the_retries_and_can_be_sent_again(app, logged_in, smtp_server, mail_config):
    mail_config(f"smtp://127.0.0.1:{free_port()}", retries=(0, 0))
    client = logged_in("admin")
    email_id = queued_email(app, client.user.agency)
    run_mail_worker(app)
    status, attempts, sent_at, error = email_row(app, email_id)
    assert (status, attempts, sent_at) == ("failed", 3, None) and "ConnectionRefusedError" in error
    outbox = client.get("/outbox").get_data(as_text=True)
    assert f'id="email-{email_id}"' in outbox and 'data-status="failed"' in outbox and "Send again" in outbox

    url, mailbox = smtp_server()  # the server is back
    mail_config(url)
    again = client.post(f"/outbox/{email_id}/send", headers=hx())
    assert again.status_code == 200 and "Sending again" in again.headers["HX-Trigger"]
    run_mail_worker(app)
    assert email_row(app, email_id)[0] == "sent" and len(mailbox.messages) == 1


def test_without_smtp_messages_stay_readable_in_the_outbox(app, logged_in, mail_config):
    mail_config("")
    client = logged_in("admin")
    email_id = queued_email(app, client.user.agency)
    assert Redis.from_url(app.config["REDIS_URL"]).llen("rq:queue:default") == 0  # nothing to send with
    page = client.get("/outbox").get_data(as_text=True)
    assert 'id="outbox-no-smtp"' in page and "Your request" in page and 'data-status="pending"' in page
    assert "Send again" not in page
    detail = client.get(f"/outbox/{email_id}").get_data(as_text=True)
    assert "Hello,\nthank you." in detail and "guest@example.com" in detail


def test_outbox_is_for_admins_of_the_agency(app, logged_in, make_agency, mail_config):
    mail_config("")
    admin = logged_in("admin")
    email_id = queued_email(app, admin.user.agency)
    assert logged_in("manager", agency=admin.user.agency).get("/outbox").status_code == 403
    stranger = logged_in("admin")
    assert stranger.get(f"/outbox/{email_id}").status_code == 404
    assert stranger.post(f"/outbox/{email_id}/send").status_code == 404
    assert f"email-{email_id}" not in stranger.get("/outbox").get_data(as_text=True)


def test_a_website_request_mails_the_guest_in_german_and_the_agency(app, client, make_agency, make_user,
                                                                     make_property, smtp_server, mail_config):
    from app.public import domains
    from tests.factories import committed, day

    url, mailbox = smtp_server()
    mail_config(url)
    agency = make_agency()
    committed(app, lambda: domains.add_domain(agency.id, "www.post.example"))
    make_user(role="manager", agency=agency, email="team@post.example")
    make_property(agency=agency, name="Haus Post")
    response = client.post("/unterkuenfte/haus-post/anfrage", headers={"Host": "www.post.example",
                                                                       "Accept-Language": "de"},
                           data={"arrival": str(day(30)), "departure": str(day(32)), "adults": "2",
                                 "name": "Jana Brief", "email": "jana@example.com", "privacy_consent": "on"})
    assert response.status_code == 303
    run_mail_worker(app)
    received = {envelope.rcpt_tos[0]: message_from_bytes(envelope.content, policy=default)
                for envelope in mailbox.messages}
    assert set(received) == {"jana@example.com", "team@post.example"}
    to_guest = received["jana@example.com"]
    assert to_guest["Subject"] == "Ihre Buchungsanfrage für Haus Post"
    assert "Guten Tag Jana Brief" in to_guest.get_content() and "Gebucht ist erst" in to_guest.get_content()
    assert "Haus Post" in received["team@post.example"].get_content()
