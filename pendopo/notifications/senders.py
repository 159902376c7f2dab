"""Senders: how a message leaves Pendopo.

Email goes through Django's mail backends (`EMAIL_BACKEND`: SMTP in production, the console in
development, locmem in tests). SMS and WhatsApp go through a `BaseSender` named by the settings
`PENDOPO_SMS_BACKEND` and `PENDOPO_WHATSAPP_BACKEND` (dotted paths). Pendopo ships four: the
`FileSender` (development: one JSON file per message under `PENDOPO_OUTBOX_DIR`, by default
var/outbox/), the `LocmemSender` (tests), the `WhatsAppCloudSender` (Meta's WhatsApp Business
Cloud API) and the `HttpSmsSender` (a generic HTTP SMS gateway, configured by settings as
Indonesian aggregators are: URL, credentials, parameter template). Only the last two touch the
network, and only the URL they are configured with.

A sender raises `TransientSendError` (or any other exception) when trying again later may help,
and `PermanentSendError` when it cannot (an invalid number, a refused address): the outbox then
stops retrying that message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string

from pendopo.lib import dates

if TYPE_CHECKING:
    from pendopo.notifications.models import Message


class SendError(Exception):
    """Delivery failed. The message text must not contain the recipient (it is stored and logged)."""


class TransientSendError(SendError):
    """Worth trying again later (the provider is down, rate limited, timed out)."""


class PermanentSendError(SendError):
    """Trying again cannot help (the number or address is invalid or refused)."""


class BaseSender:
    """Sends a short text to a phone number. Subclasses implement `send`.

    `idempotency_key` is the outbox message's event key: pass it to the provider when it accepts
    one, so that a resend after a crash (see docs/notifications.md) is dropped by the provider.
    """

    channel: str = ""

    def __init__(self, channel: str = "", **options: Any) -> None:
        self.channel = channel or self.channel
        self.options = options

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        """Send `text` to `to`; return the provider's id of the message."""
        raise NotImplementedError


def outbox_dir() -> Path:
    return Path(getattr(settings, "PENDOPO_OUTBOX_DIR", None) or Path(settings.VAR_DIR) / "outbox")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FileSender(BaseSender):
    """Development sender: writes each message to `<PENDOPO_OUTBOX_DIR>/<channel>/<key>.json`.

    The file is named after the idempotency key, so sending the same message twice leaves one
    file — the behaviour of a provider that honours idempotency keys. The file holds the phone
    number, as a real provider would receive it; it is written readable by its owner only.
    """

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        directory = outbox_dir() / (self.channel or "sms")
        directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:12]
        name = f"{_UNSAFE.sub('_', idempotency_key)[:100]}-{digest}.json"
        path = directory / name
        record = {
            "channel": self.channel,
            "to": to,
            "text": text,
            "idempotency_key": idempotency_key,
            "written_at": dates.now().isoformat(),
        }
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=2)
        return f"file:{name}"


# What the LocmemSender sent, oldest first (like django.core.mail.outbox). Tests clear it.
sent: list[dict[str, str]] = []


class LocmemSender(BaseSender):
    """Test sender: records every call in `pendopo.notifications.senders.sent`, duplicates included."""

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        sent.append({"channel": self.channel, "to": to, "text": text, "idempotency_key": idempotency_key})
        return f"locmem:{len(sent)}"


# --- providers over HTTP ---------------------------------------------------------------------------


def international(phone: str) -> str:
    """`081234567890` → `6281234567890` (the form WhatsApp and most gateways expect, without "+")."""
    digits = phone.lstrip("+")
    return "62" + digits[1:] if digits.startswith("0") else digits


def _setting(name: str, default: Any = "") -> Any:
    return getattr(settings, name, default)


class HttpSender(BaseSender):
    """Common ground of the HTTP providers: one request, the answer decoded, failures classified.

    `classify(status, body)` returns None on success, or the error to raise. A provider's
    rate-limit answer and its "try later" answers are `TransientSendError` (the outbox retries
    with its backoff until the last attempt, then the message is dead); an answer that says this
    message can never be delivered is `PermanentSendError` (failed, no retry). Error texts carry
    the provider's code, never the recipient or the text.
    """

    timeout_setting = "PENDOPO_SENDER_TIMEOUT"

    def timeout(self) -> float:
        return float(_setting(self.timeout_setting, 10) or 10)

    def request(
        self, url: str, *, method: str = "POST", data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        if not url.startswith(("https://", "http://")):
            raise TransientSendError("The provider URL must start with https:// or http://.")
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310 -- checked above
        try:
            with urllib.request.urlopen(request, timeout=self.timeout()) as response:  # noqa: S310 -- the configured provider URL
                return response.status, response.read(1_000_000)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(1_000_000)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransientSendError(f"The provider could not be reached ({type(reason).__name__}).") from None

    @staticmethod
    def decode(body: bytes) -> Any:
        try:
            return json.loads(body.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            return None


class WhatsAppCloudSender(HttpSender):
    """Meta's WhatsApp Business Cloud API: `POST {PENDOPO_WHATSAPP_API_URL}/{phone number id}/messages`.

    Settings: `PENDOPO_WHATSAPP_API_URL` (default https://graph.facebook.com/v21.0),
    `PENDOPO_WHATSAPP_PHONE_NUMBER_ID`, `PENDOPO_WHATSAPP_TOKEN` (a system user's access token),
    and optionally `PENDOPO_WHATSAPP_TEMPLATE` + `PENDOPO_WHATSAPP_TEMPLATE_LANGUAGE`: WhatsApp
    delivers free text only inside the 24-hour window after the citizen last wrote; outside it a
    business must send an approved template. With a template configured, every message is sent as
    that template with the text as its one body parameter ({{1}}).

    The answer is `{"messages": [{"id": "wamid…"}]}` on success, else a Graph API error
    `{"error": {"code": …, "error_subcode": …, "message": …, "fbtrace_id": …}}`, classified by
    the codes of Meta's error reference (docs/accounts.md lists them).
    """

    channel = "whatsapp"
    # Throughput, pair-rate, spam and API call limits, and Meta's own temporary trouble: try later.
    RETRY_CODES: ClassVar[frozenset[int]] = frozenset(
        {1, 2, 4, 17, 341, 368, 80007, 130429, 131000, 131016, 131048, 131056, 131057, 133016}
    )
    # Access token expired or lacking permission: the operator must fix the settings; retried until
    # dead, so that an administrator can retry the dead messages once fixed.
    CONFIG_CODES: ClassVar[frozenset[int]] = frozenset({0, 3, 10, 190, 200})
    # Invalid parameters, unknown or unreachable recipient, outside the 24-hour window, template errors.
    PERMANENT_CODES: ClassVar[frozenset[int]] = frozenset(
        {100, 470, 131008, 131009, 131021, 131026, 131030, 131031, 131047, 131051, 131052, 131053}
        | {132000, 132001, 132005, 132007, 132012, 132015, 132016}
    )

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        base = str(_setting("PENDOPO_WHATSAPP_API_URL") or "https://graph.facebook.com/v21.0").rstrip("/")
        number_id = str(_setting("PENDOPO_WHATSAPP_PHONE_NUMBER_ID"))
        token = str(_setting("PENDOPO_WHATSAPP_TOKEN"))
        if not number_id or not token:
            raise TransientSendError("PENDOPO_WHATSAPP_PHONE_NUMBER_ID and PENDOPO_WHATSAPP_TOKEN must be set.")
        status, body = self.request(
            f"{base}/{urllib.parse.quote(number_id)}/messages",
            data=json.dumps(self.payload(international(to), text), ensure_ascii=False).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        answer = self.decode(body)
        if 200 <= status < 300 and isinstance(answer, dict) and answer.get("messages"):
            return str(answer["messages"][0].get("id", ""))
        raise self.classify(status, answer)

    @staticmethod
    def payload(to: str, text: str) -> dict[str, Any]:
        template = _setting("PENDOPO_WHATSAPP_TEMPLATE")
        message: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        if template:
            message["type"] = "template"
            message["template"] = {
                "name": template,
                "language": {"code": _setting("PENDOPO_WHATSAPP_TEMPLATE_LANGUAGE") or "id"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
            }
        else:
            message["type"] = "text"
            message["text"] = {"preview_url": False, "body": text}
        return message

    def classify(self, status: int, answer: Any) -> SendError:
        error = answer.get("error") if isinstance(answer, dict) else None
        if not isinstance(error, dict):
            if status == 429 or status >= 500 or 200 <= status < 300:
                return TransientSendError(f"WhatsApp answered HTTP {status} without a message id.")
            return PermanentSendError(f"WhatsApp answered HTTP {status}.")
        try:
            code = int(error.get("code", -1))
        except (TypeError, ValueError):
            code = -1
        described = f"WhatsApp error {code}" + (f"/{error['error_subcode']}" if error.get("error_subcode") else "")
        trace = f" (fbtrace_id {error['fbtrace_id']})" if error.get("fbtrace_id") else ""
        if code in self.RETRY_CODES or code in self.CONFIG_CODES or status == 429 or status >= 500:
            return TransientSendError(described + trace)
        if code in self.PERMANENT_CODES or 400 <= status < 500:
            return PermanentSendError(described + trace)
        return TransientSendError(described + trace)


class HttpSmsSender(HttpSender):
    """A generic HTTP SMS gateway, configured the way Indonesian aggregators document theirs.

    Settings (README, docs/accounts.md): `PENDOPO_SMS_URL`; `PENDOPO_SMS_METHOD` (POST or GET);
    `PENDOPO_SMS_FORMAT` (`json`, `form` or `query`: how the parameters travel);
    `PENDOPO_SMS_PARAMS`, a JSON object whose values are templates with the placeholders
    `{to}` (6281…), `{to_national}` (081…), `{text}`, `{key}` (the idempotency key), `{sender}`,
    `{username}`, `{password}`, `{token}`; `PENDOPO_SMS_USERNAME`, `PENDOPO_SMS_PASSWORD`,
    `PENDOPO_SMS_TOKEN`, `PENDOPO_SMS_SENDER`; `PENDOPO_SMS_HEADERS` (a JSON object, same
    placeholders, e.g. {"Authorization": "Bearer {token}"}); `PENDOPO_SMS_BASIC_AUTH` (send
    username and password as HTTP Basic); and how success reads: `PENDOPO_SMS_SUCCESS_PATTERN`
    (a regular expression the answer must match, default: any 2xx answer) and
    `PENDOPO_SMS_ID_FIELD` (dotted path of the message id in a JSON answer, e.g. `data.0.id`).

    HTTP 429, 408 and 5xx, a timeout and an unreachable gateway are retried; 401/403 too (the
    credentials are the operator's to fix, then the dead messages can be retried); other 4xx
    answers and a 2xx answer that does not match the success pattern fail the message.
    """

    channel = "sms"
    DEFAULT_PARAMS: ClassVar[dict[str, str]] = {"to": "{to}", "message": "{text}", "ref": "{key}"}

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        url = str(_setting("PENDOPO_SMS_URL"))
        if not url:
            raise TransientSendError("PENDOPO_SMS_URL is not set.")
        values = {
            "to": international(to),
            "to_national": to,
            "text": text,
            "key": idempotency_key,
            "sender": _setting("PENDOPO_SMS_SENDER"),
            "username": _setting("PENDOPO_SMS_USERNAME"),
            "password": _setting("PENDOPO_SMS_PASSWORD"),
            "token": _setting("PENDOPO_SMS_TOKEN"),
        }
        template = _json_setting("PENDOPO_SMS_PARAMS", self.DEFAULT_PARAMS)
        params = {name: _fill(str(value), values) for name, value in template.items()}
        headers = {name: _fill(str(value), values) for name, value in _json_setting("PENDOPO_SMS_HEADERS", {}).items()}
        if _setting("PENDOPO_SMS_BASIC_AUTH", False):
            pair = f"{values['username']}:{values['password']}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        method = str(_setting("PENDOPO_SMS_METHOD") or "POST").upper()
        form = str(_setting("PENDOPO_SMS_FORMAT") or "json").lower()
        data = None
        if form == "query" or method == "GET":
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        elif form == "form":
            data = urllib.parse.urlencode(params).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        else:
            data = json.dumps(params, ensure_ascii=False).encode()
            headers.setdefault("Content-Type", "application/json")
        status, body = self.request(url, method=method, data=data, headers=headers)
        if status in (408, 429) or status >= 500 or status in (401, 403):
            raise TransientSendError(f"The SMS gateway answered HTTP {status}.")
        if not 200 <= status < 300:
            raise PermanentSendError(f"The SMS gateway answered HTTP {status}.")
        text_answer = body.decode("utf-8", "replace")
        pattern = _setting("PENDOPO_SMS_SUCCESS_PATTERN")
        if pattern and not re.search(pattern, text_answer):
            raise PermanentSendError(f"The SMS gateway refused the message: {text_answer[:200]}")
        return self.message_id(self.decode(body), idempotency_key)

    @staticmethod
    def message_id(answer: Any, fallback: str) -> str:
        path = _setting("PENDOPO_SMS_ID_FIELD")
        if not path:
            return f"sms:{fallback}"
        value = answer
        for part in str(path).split("."):
            if isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            elif isinstance(value, dict) and part in value:
                value = value[part]
            else:
                return f"sms:{fallback}"
        return str(value)


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, values: dict[str, Any]) -> str:
    """`"{to}"` → the value; an unknown placeholder stays as written (a gateway may want braces)."""
    return template.format_map(_Values(values))


def _json_setting(name: str, default: dict[str, Any]) -> dict[str, Any]:
    value = _setting(name, None)
    if not value:
        return dict(default)
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, dict):
        raise TransientSendError(f"{name} must be a JSON object.")
    return value


_SETTING = {"sms": "PENDOPO_SMS_BACKEND", "whatsapp": "PENDOPO_WHATSAPP_BACKEND"}
DEFAULT_BACKEND = "pendopo.notifications.senders.FileSender"


def get_sender(channel: str) -> BaseSender:
    """The sender configured for a phone channel (`sms` or `whatsapp`)."""
    try:
        setting = _SETTING[channel]
    except KeyError:
        raise ValueError(f"No sender setting for channel {channel!r}.") from None
    path = getattr(settings, setting, "") or DEFAULT_BACKEND
    return import_string(path)(channel=channel)


# --- email ---------------------------------------------------------------------------------------


class EmailSender:
    """Email through Django's mail backend, with a Message-ID derived from the event key.

    A fixed Message-ID lets mail systems that de-duplicate by it (Gmail does) drop a resend.
    """

    # SMTP answers that say the address itself is refused: retrying will not help.
    PERMANENT: ClassVar[tuple[type[Exception], ...]] = (smtplib.SMTPRecipientsRefused,)

    def send(self, message: Message) -> str:
        message_id = self.message_id(message.event_key)
        email = EmailMultiAlternatives(
            subject=" ".join(message.subject.split()),
            body=message.body_text,
            to=[message.to_email],
            headers={"Message-ID": message_id},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            count = email.send(fail_silently=False)
        except self.PERMANENT as exc:
            raise PermanentSendError(type(exc).__name__) from exc
        if count != 1:
            raise TransientSendError("The mail backend did not accept the message.")
        return message_id

    @staticmethod
    def message_id(event_key: str) -> str:
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].partition("@")[2] or "pendopo.local"
        return f"<{hashlib.sha256(event_key.encode()).hexdigest()[:32]}@{domain}>"
