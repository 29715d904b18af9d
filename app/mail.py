"""Outgoing e-mail: through SMTP when ``TECHMATCH_SMTP_HOST`` is set, else to the console log."""

import logging
import smtplib
from email.message import EmailMessage

from app.config import Settings

log = logging.getLogger("techmatch.mail")


def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> str:
    """Deliver one plain-text message; returns how: ``"smtp"`` or ``"console"``."""
    if not settings.smtp_host:
        # Development: the operator reads the message (and its link) in the server's log.
        log.warning("e-mail (no SMTP configured) to %s: %s\n%s", to, subject, body)
        return "console"
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)
    return "smtp"
