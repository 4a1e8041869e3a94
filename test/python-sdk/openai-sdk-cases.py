"""The official Python SDK against a running gateway, one case per public behaviour.

Run by official-python-sdk.test.ts with the names of the cases to run as arguments. Each case
asserts; the outcome of each goes to stdout as one JSON line ({"case", "ok", "error"}), so that
vitest reports every case as its own test, and the exit status is 1 if any case failed.

The gateway and its credentials come from the environment: OPENAI_BASE_URL and OPENAI_API_KEY
(read by the SDK itself, as in the README), DSC_GATEWAY_URL (the gateway's root, for the OAuth
token endpoint), DSC_LIMITED_API_KEY (a tier of 1 request per minute), DSC_RETRY_API_KEY (a
tier of 60 requests per minute, so that Retry-After is at most a second), DSC_OAUTH_CLIENT_ID
and DSC_OAUTH_CLIENT_SECRET.
"""

import json
import os
import sys
import traceback
import urllib.parse
import urllib.request
import uuid

import httpx2
import openai
from openai import OpenAI

MODEL = "deepseek-chst-1.0"
HELLO = [{"role": "user", "content": "Hello from Python!"}]
CASES = {}


def case(function):
    CASES[function.__name__] = function
    return function


def client(**options):
    # no retries unless a case asks for them: a failure shows at once, not after backoff
    return OpenAI(**{"max_retries": 0, **options})


def expect_error(error_class, call):
    try:
        call()
    except error_class as error:
        return error
    raise AssertionError(f"expected {error_class.__name__}")


def check_error_body(error, *, type, code, param=None):
    """The OpenAI error shape, as the SDK exposes it on the exception."""
    assert error.type == type, error.type
    assert error.code == code, error.code
    assert error.param == param, error.param
    assert isinstance(error.body, dict) and error.body["message"], error.body
    assert error.request_id and error.request_id.startswith("req_"), error.request_id


@case
def models_list_and_retrieve():
    models = client().models.list()
    ids = [model.id for model in models.data]
    assert MODEL in ids, ids
    model = client().models.retrieve(MODEL)
    assert model.id == MODEL and model.object == "model", model


@case
def chat_completion():
    completion = client().chat.completions.create(model=MODEL, messages=HELLO, max_tokens=30)
    assert completion.object == "chat.completion", completion
    assert completion.id.startswith("chatcmpl-"), completion.id
    choice = completion.choices[0]
    assert choice.message.role == "assistant" and choice.message.content, choice
    assert choice.finish_reason in ("stop", "length"), choice.finish_reason
    usage = completion.usage
    assert usage.prompt_tokens > 0 and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


@case
def chat_stream_with_usage():
    stream = client().chat.completions.create(
        model=MODEL, messages=HELLO, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text, "no content streamed"
    finishes = [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices]
    assert finishes[-1] == "stop", finishes
    # include_usage: one last chunk with no choices carries the usage; the others carry none
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None, last
    assert last.usage.completion_tokens > 0, last.usage
    assert all(chunk.usage is None for chunk in chunks[:-1])


@case
def chat_forced_tool_call():
    tools = [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "The weather in a city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
        }
    ]
    completion = client().chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Weather in Paris?"}],
        tools=tools,
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls", choice.finish_reason
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.function.name == "get_weather", call
    assert call.id, call
    assert isinstance(json.loads(call.function.arguments), dict), call.function.arguments


@case
def chat_json_mode():
    completion = client().chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Answer in JSON, please."}],
        response_format={"type": "json_object"},
    )
    content = completion.choices[0].message.content
    assert isinstance(json.loads(content), dict), content


@case
def files_lifecycle():
    sdk = client()
    content = b'{"custom_id":"1"}\n{"custom_id":"2"}\n'
    created = sdk.files.create(
        file=("batch input.jsonl", content, "application/jsonl"),
        purpose="batch",
        expires_after={"anchor": "created_at", "seconds": 3600},
    )
    assert created.id.startswith("file-"), created.id
    assert created.bytes == len(content) and created.filename == "batch input.jsonl", created
    assert created.purpose == "batch" and created.expires_at == created.created_at + 3600, created

    listed = sdk.files.list(purpose="batch")
    assert created.id in [file.id for file in listed.data], listed
    assert sdk.files.retrieve(created.id) == created

    downloaded = sdk.files.content(created.id)
    assert downloaded.content == content, downloaded.content
    assert downloaded.response.headers["content-type"] == "application/jsonl"

    deleted = sdk.files.delete(created.id)
    assert deleted.id == created.id and deleted.deleted is True, deleted
    error = expect_error(openai.NotFoundError, lambda: sdk.files.retrieve(created.id))
    assert error.status_code == 404


@case
def error_400_names_the_param():
    error = expect_error(
        openai.BadRequestError,
        lambda: client().chat.completions.create(model=MODEL, messages=HELLO, temperature=9),
    )
    assert error.status_code == 400
    check_error_body(error, type="invalid_request_error", code="invalid_value", param="temperature")
    assert error.body["param"] == "temperature", error.body


@case
def error_401_bad_key():
    error = expect_error(
        openai.AuthenticationError, lambda: client(api_key="sk-not-a-real-key").models.list()
    )
    assert error.status_code == 401
    check_error_body(error, type="invalid_request_error", code="invalid_api_key")
    assert error.response.headers["www-authenticate"].startswith("Bearer"), error.response.headers


@case
def error_404_model_not_found():
    error = expect_error(
        openai.NotFoundError,
        lambda: client().chat.completions.create(model="no-such-model", messages=HELLO),
    )
    assert error.status_code == 404
    check_error_body(error, type="invalid_request_error", code="model_not_found", param="model")
    error = expect_error(openai.NotFoundError, lambda: client().models.retrieve("no-such-model"))
    assert error.code == "model_not_found", error.body


@case
def error_429_with_retry_after():
    sdk = client(api_key=os.environ["DSC_LIMITED_API_KEY"])
    sdk.models.list()  # the minute's one request
    error = expect_error(openai.RateLimitError, lambda: sdk.models.list())
    assert error.status_code == 429
    check_error_body(error, type="rate_limit_error", code="rate_limit_exceeded")
    headers = error.response.headers
    assert headers["retry-after"] == "60", headers
    assert headers["x-ratelimit-limit-requests"] == "1", headers
    assert headers["x-ratelimit-remaining-requests"] == "0", headers


@case
def error_429_retried_by_the_sdk():
    statuses = []
    http_client = openai.DefaultHttpxClient(
        event_hooks={"response": [lambda response: statuses.append(response.status_code)]}
    )
    # the SDK's own retries (two by default), waiting as Retry-After-Ms / Retry-After say
    sdk = OpenAI(api_key=os.environ["DSC_RETRY_API_KEY"], http_client=http_client)
    # 60 a minute: calls succeed until the burst allowance is spent, then one is refused and
    # retried once a request is available again, within a second
    for _ in range(120):
        statuses.clear()
        sdk.models.list()
        if statuses[0] == 429:
            assert statuses[-1] == 200, statuses
            return
    raise AssertionError("120 calls in a row were never limited")


@case
def oauth_access_token_as_api_key():
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": os.environ["DSC_OAUTH_CLIENT_ID"],
            "client_secret": os.environ["DSC_OAUTH_CLIENT_SECRET"],
        }
    ).encode()
    request = urllib.request.Request(f"{os.environ['DSC_GATEWAY_URL']}/oauth2/token", data=form)
    with urllib.request.urlopen(request) as response:
        token = json.load(response)
    assert token["token_type"].lower() == "bearer", token
    sdk = client(api_key=token["access_token"])
    assert MODEL in [model.id for model in sdk.models.list().data]
    completion = sdk.chat.completions.create(model=MODEL, messages=HELLO, max_tokens=5)
    assert completion.choices[0].message.content, completion


@case
def raw_response_rate_limit_headers():
    raw = client().chat.completions.with_raw_response.create(model=MODEL, messages=HELLO, max_tokens=5)
    assert raw.status_code == 200
    for name in (
        "x-ratelimit-limit-requests",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-reset-requests",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-tokens",
    ):
        assert name in raw.headers, (name, dict(raw.headers))
    assert int(raw.headers["x-ratelimit-remaining-requests"]) < int(raw.headers["x-ratelimit-limit-requests"])
    assert raw.headers["x-request-id"].startswith("req_"), raw.headers
    completion = raw.parse()
    assert completion.object == "chat.completion", completion


@case
def user_deletion_and_export():
    sdk = client()
    user = f"py-{uuid.uuid4().hex[:12]}"
    # what the gateway keeps about the user: a file uploaded in their name (an extension field)
    file = sdk.files.create(file=("notes.txt", b"notes"), purpose="user_data", extra_body={"user": user})
    exported = sdk.get(f"/users/{user}/export", cast_to=object)
    assert exported["object"] == "user_export" and exported["user"] == user, exported
    assert [entry["id"] for entry in exported["files"]] == [file.id], exported

    # the SDK's generic DELETE: no body, as for files.delete
    response = sdk.delete(f"/users/{user}", cast_to=httpx2.Response)
    assert response.status_code == 202, (response.status_code, response.text)
    erasure = response.json()
    assert erasure["object"] == "deletion_request" and erasure["status"] == "pending", erasure
    assert erasure["subject"] == {"type": "end_user", "id": user}, erasure
    again = sdk.delete(f"/users/{user}", cast_to=object)
    assert again["id"] == erasure["id"], again
    status = sdk.get(f"/deletion_requests/{erasure['id']}", cast_to=object)
    assert status["id"] == erasure["id"] and status["status"] == "pending", status


def main(names):
    failed = 0
    for name in names:
        try:
            if name not in CASES:
                raise AssertionError(f"no case named {name}")
            CASES[name]()
            outcome = {"case": name, "ok": True}
        except Exception:
            failed += 1
            outcome = {"case": name, "ok": False, "error": traceback.format_exc()}
        print(json.dumps(outcome), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(CASES)))
