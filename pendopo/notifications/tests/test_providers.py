"""The WhatsApp Cloud API and HTTP SMS gateway senders, against a local HTTP server (never the network).

The server answers with the shapes the providers document: Meta's `{"messages": [{"id": …}]}`
and Graph API errors `{"error": {"code": …}}`; an SMS gateway's JSON or plain-text answers. Each
answer is then run through the outbox, so the test shows what becomes of the message: sent,
retried later, failed or dead.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pendopo.notifications import delivery
from pendopo.notifications.delivery import Outcome
from pendopo.notifications.models import Message, Status
from pendopo.notifications.senders import HttpSmsSender, WhatsAppCloudSender, get_sender
from pendopo.notifications.tests.helpers import sms

WHATSAPP = "pendopo.notifications.senders.WhatsAppCloudSender"
SMS = "pendopo.notifications.senders.HttpSmsSender"


@dataclass
class Provider:
    """What the fake provider received, and the answers it gives next (status, headers, body)."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)

    def answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.answers.append((status, headers or {"Content-Type": "application/json"}, raw))


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider(url="")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.requests.append(
                {"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "body": body}
            )
            status, headers, raw = state.answers.pop(0) if state.answers else (500, {}, b"no answer prepared")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_POST = do_GET = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def whatsapp(settings, provider):
    settings.PENDOPO_WHATSAPP_BACKEND = WHATSAPP
    settings.PENDOPO_WHATSAPP_API_URL = f"{provider.url}/v21.0"
    settings.PENDOPO_WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.PENDOPO_WHATSAPP_TOKEN = "EAAtest"
    settings.PENDOPO_WHATSAPP_TEMPLATE = ""
    return provider


def graph_error(code: int, message: str, subcode: int | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


def test_whatsapp_sends_a_text_message_as_documented(db, whatsapp):
    whatsapp.answer(
        200,
        {
            "messaging_product": "whatsapp",
            "contacts": [{"input": "6281234567890", "wa_id": "6281234567890"}],
            "messages": [{"id": "wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABEYEjQ2"}],
        },
    )
    message = sms(channel="whatsapp", body_text="Kode masuk Pendopo: 123456")
    assert delivery.deliver(message.pk) == Outcome.SENT
    (request,) = whatsapp.requests
    assert request["method"] == "POST"
    assert request["path"] == "/v21.0/106540352242922/messages"
    assert request["headers"]["Authorization"] == "Bearer EAAtest"
    assert json.loads(request["body"]) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": False, "body": "Kode masuk Pendopo: 123456"},
    }
    assert Message.objects.get(pk=message.pk).provider_id == "wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABEYEjQ2"


def test_whatsapp_sends_a_template_when_configured(db, settings, whatsapp):
    settings.PENDOPO_WHATSAPP_TEMPLATE = "pendopo_pemberitahuan"
    whatsapp.answer(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.1"}]})
    message = sms(channel="whatsapp", body_text="Permohonan selesai.")
    assert delivery.deliver(message.pk) == Outcome.SENT
    sent = json.loads(whatsapp.requests[0]["body"])
    assert sent["type"] == "template"
    assert sent["template"] == {
        "name": "pendopo_pemberitahuan",
        "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Permohonan selesai."}]}],
    }


@pytest.mark.parametrize(
    ("status", "code", "title"),
    [
        (429, 130429, "Rate limit hit"),
        (400, 131056, "(Business Account, Consumer Account) pair rate limit hit"),
        (400, 131048, "Spam rate limit hit"),
        (400, 4, "Too many calls"),
        (400, 80007, "Rate limit issues"),
        (500, 131000, "Something went wrong"),
        (503, 131016, "Service unavailable"),
        (401, 190, "Access token has expired"),
    ],
)
def test_whatsapp_rate_limits_and_outages_are_retried(db, whatsapp, status, code, title):
    whatsapp.answer(status, graph_error(code, title))
    message = sms(channel="whatsapp")
    assert delivery.deliver(message.pk) == Outcome.RETRY
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert f"WhatsApp error {code}" in message.last_error
    assert "0812" not in message.last_error and "62812" not in message.last_error


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (131026, "Message undeliverable"),
        (131047, "Re-engagement message"),
        (100, "Invalid parameter"),
        (131009, "Parameter value is not valid"),
        (132001, "Template does not exist"),
    ],
)
def test_whatsapp_undeliverable_messages_fail_without_retry(db, whatsapp, code, title):
    whatsapp.answer(400, graph_error(code, title))
    message = sms(channel="whatsapp")
    assert delivery.deliver(message.pk) == Outcome.FAILED
    assert Message.objects.get(pk=message.pk).status == Status.FAILED


def test_whatsapp_rate_limit_on_the_last_attempt_makes_the_message_dead(db, settings, whatsapp):
    settings.PENDOPO_NOTIFICATIONS_MAX_ATTEMPTS = 2
    whatsapp.answer(429, graph_error(130429, "Rate limit hit"))
    whatsapp.answer(429, graph_error(130429, "Rate limit hit"))
    message = sms(channel="whatsapp")
    assert delivery.deliver(message.pk) == Outcome.RETRY
    Message.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    assert delivery.deliver(message.pk) == Outcome.DEAD
    assert Message.objects.get(pk=message.pk).status == Status.DEAD


def test_whatsapp_unreachable_is_retried(db, settings):
    settings.PENDOPO_WHATSAPP_BACKEND = WHATSAPP
    settings.PENDOPO_WHATSAPP_API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.PENDOPO_WHATSAPP_PHONE_NUMBER_ID = "1"
    settings.PENDOPO_WHATSAPP_TOKEN = "t"
    message = sms(channel="whatsapp")
    assert delivery.deliver(message.pk) == Outcome.RETRY


def test_whatsapp_without_credentials_is_retried_not_sent(db, settings):
    settings.PENDOPO_WHATSAPP_BACKEND = WHATSAPP
    settings.PENDOPO_WHATSAPP_TOKEN = ""
    message = sms(channel="whatsapp")
    assert delivery.deliver(message.pk) == Outcome.RETRY
    assert "PENDOPO_WHATSAPP_TOKEN" in Message.objects.get(pk=message.pk).last_error


def test_settings_choose_the_provider_senders(settings):
    settings.PENDOPO_SMS_BACKEND = SMS
    settings.PENDOPO_WHATSAPP_BACKEND = WHATSAPP
    assert isinstance(get_sender("sms"), HttpSmsSender)
    assert isinstance(get_sender("whatsapp"), WhatsAppCloudSender)


# --- the HTTP SMS gateway ---------------------------------------------------------------------------


@pytest.fixture
def gateway(settings, provider):
    settings.PENDOPO_SMS_BACKEND = SMS
    settings.PENDOPO_SMS_URL = f"{provider.url}/api/sms/send"
    settings.PENDOPO_SMS_METHOD = "POST"
    settings.PENDOPO_SMS_FORMAT = "json"
    settings.PENDOPO_SMS_PARAMS = ""
    settings.PENDOPO_SMS_HEADERS = ""
    settings.PENDOPO_SMS_BASIC_AUTH = False
    settings.PENDOPO_SMS_SUCCESS_PATTERN = ""
    settings.PENDOPO_SMS_ID_FIELD = ""
    settings.PENDOPO_SMS_USERNAME = "pemkab"
    settings.PENDOPO_SMS_PASSWORD = "rahasia"
    settings.PENDOPO_SMS_TOKEN = "tok-123"
    settings.PENDOPO_SMS_SENDER = "PEMKAB"
    return provider


def test_sms_gateway_posts_json_with_a_bearer_token(db, settings, gateway):
    settings.PENDOPO_SMS_PARAMS = json.dumps({"msisdn": "{to}", "content": "{text}", "sender": "{sender}", "trx_id": "{key}"})
    settings.PENDOPO_SMS_HEADERS = json.dumps({"Authorization": "Bearer {token}"})
    settings.PENDOPO_SMS_ID_FIELD = "data.0.message_id"
    gateway.answer(200, {"status": "success", "data": [{"message_id": "SMS-77", "msisdn": "6281234567890"}]})
    message = sms(body_text="Kode & sandi: 123456")
    assert delivery.deliver(message.pk) == Outcome.SENT
    (request,) = gateway.requests
    assert request["path"] == "/api/sms/send"
    assert request["headers"]["Authorization"] == "Bearer tok-123"
    assert json.loads(request["body"]) == {
        "msisdn": "6281234567890",
        "content": "Kode & sandi: 123456",
        "sender": "PEMKAB",
        "trx_id": message.event_key,
    }
    assert Message.objects.get(pk=message.pk).provider_id == "SMS-77"


def test_sms_gateway_get_with_query_parameters_and_a_text_answer(db, settings, gateway):
    # The style of many Indonesian gateways: GET with user, password, number and message; "OK" or "ERR".
    settings.PENDOPO_SMS_METHOD = "GET"
    settings.PENDOPO_SMS_PARAMS = json.dumps({"user": "{username}", "pwd": "{password}", "to": "{to_national}", "msg": "{text}"})
    settings.PENDOPO_SMS_SUCCESS_PATTERN = r"^OK"
    gateway.answer(200, b"OK 8812", {"Content-Type": "text/plain"})
    message = sms(body_text="Permohonan selesai")
    assert delivery.deliver(message.pk) == Outcome.SENT
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(gateway.requests[0]["path"]).query)
    assert query == {"user": ["pemkab"], "pwd": ["rahasia"], "to": ["081234567890"], "msg": ["Permohonan selesai"]}


def test_sms_gateway_form_post_with_basic_auth(db, settings, gateway):
    settings.PENDOPO_SMS_FORMAT = "form"
    settings.PENDOPO_SMS_BASIC_AUTH = True
    gateway.answer(201, {"id": "x"})
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.SENT
    request = gateway.requests[0]
    assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(b"pemkab:rahasia").decode()
    assert urllib.parse.parse_qs(request["body"].decode())["to"] == ["6281234567890"]


@pytest.mark.parametrize("status", [429, 500, 502, 503, 408, 401])
def test_sms_gateway_rate_limit_and_outage_are_retried(db, gateway, status):
    gateway.answer(status, {"status": "error", "message": "Too many requests"})
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.RETRY
    assert Message.objects.get(pk=message.pk).last_error.endswith(f"HTTP {status}.")


def test_sms_gateway_refusal_fails_the_message(db, settings, gateway):
    gateway.answer(400, {"status": "error", "message": "invalid msisdn"})
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.FAILED


def test_sms_gateway_answer_that_does_not_say_ok_fails_and_hides_the_number(db, settings, gateway):
    settings.PENDOPO_SMS_SUCCESS_PATTERN = r'"status":\s*"success"'
    gateway.answer(200, {"status": "failed", "reason": "number 6281234567890 blacklisted"})
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.FAILED
    error = Message.objects.get(pk=message.pk).last_error
    assert "blacklisted" in error and "6281234567890" not in error


def test_sms_gateway_without_url_is_retried(db, settings, gateway):
    settings.PENDOPO_SMS_URL = ""
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.RETRY
    assert gateway.requests == []
