"""Sending one message over SMTP with the standard library (`SMTP_URL`).

    smtp://user:password@host:25          plain (or a local relay without login)
    smtp+starttls://user:password@host:587  STARTTLS before the login
    smtps://user:password@host:465         TLS from the start
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class SmtpUrlInvalid(ValueError):
    pass


def build_message(sender: str, recipient: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, recipient, subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message.set_content(body)
    return message


def send(smtp_url: str, message: EmailMessage, timeout: float) -> None:
    """Deliver `message`; raises smtplib.SMTPException or OSError when the server refuses or is away."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise SmtpUrlInvalid(f"SMTP_URL must look like smtp://host:25, smtp+starttls://… or smtps://… "
                             f"(got scheme {parts.scheme!r})")
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(parts.hostname, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(parts.hostname, port, timeout=timeout)
    with client:
        if parts.scheme == "smtp+starttls":
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
