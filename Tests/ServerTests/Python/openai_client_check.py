"""Drives a running `moeserve serve` with the official `openai` Python package.

Usage: python3 openai_client_check.py BASE_URL MODEL

Makes streamed and whole completions and chat completions, a completion with a token-id prompt, requests the
server must refuse, and concurrent requests from threads, then prints one JSON document of what it observed.
The Swift test (OpenAIPythonClientTests) checks the figures against the server's documented token counting.
Any exception the SDK raises where none is expected ends the script with a traceback and exit code 1.
"""

import concurrent.futures
import json
import sys

import openai

base_url, model = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=120)
observed = {"sdk_version": openai.__version__}


def usage(value):
    return None if value is None else {
        "prompt_tokens": value.prompt_tokens,
        "completion_tokens": value.completion_tokens,
        "total_tokens": value.total_tokens,
    }


completion = client.completions.create(model=model, prompt="Hello, world!", max_tokens=5)
observed["completion"] = {
    "id": completion.id,
    "object": completion.object,
    "text": completion.choices[0].text,
    "finish_reason": completion.choices[0].finish_reason,
    "usage": usage(completion.usage),
}

token_prompt = client.completions.create(model=model, prompt=list(range(100, 164)), max_tokens=3)
observed["token_prompt"] = {"usage": usage(token_prompt.usage), "text": token_prompt.choices[0].text}

chunks = list(
    client.completions.create(
        model=model, prompt="Stream this, please.", max_tokens=7, stream=True,
        stream_options={"include_usage": True},
    )
)
observed["completion_stream"] = {
    "chunks_with_choices": sum(1 for chunk in chunks if chunk.choices),
    "text": "".join(chunk.choices[0].text for chunk in chunks if chunk.choices),
    "finish_reason": [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices][-1],
    "usage": usage(chunks[-1].usage),
    "usage_only_in_last": all(chunk.usage is None for chunk in chunks[:-1]),
}

messages = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "Say hi to the cluster."},
]
chat = client.chat.completions.create(model=model, messages=messages, max_completion_tokens=6)
observed["chat"] = {
    "object": chat.object,
    "role": chat.choices[0].message.role,
    "content": chat.choices[0].message.content,
    "finish_reason": chat.choices[0].finish_reason,
    "usage": usage(chat.usage),
}

stream = client.chat.completions.create(
    model=model, messages=messages, max_tokens=9, stream=True, stream_options={"include_usage": True}
)
chat_chunks = list(stream)
observed["chat_stream"] = {
    "chunks_with_choices": sum(1 for chunk in chat_chunks if chunk.choices),
    "first_role": chat_chunks[0].choices[0].delta.role,
    "content": "".join(chunk.choices[0].delta.content or "" for chunk in chat_chunks if chunk.choices),
    "finish_reason": [chunk.choices[0].finish_reason for chunk in chat_chunks if chunk.choices][-1],
    "usage": usage(chat_chunks[-1].usage),
}

refusals = {}
for name, call in {
    "unknown_model": lambda: client.completions.create(model="no-such-model", prompt="x", max_tokens=1),
    "wrong_type": lambda: client.completions.create(model=model, prompt="x", max_tokens=1, extra_body={"n": "two"}),
    "past_context": lambda: client.completions.create(model=model, prompt="x", max_tokens=10**12),
    "missing_messages": lambda: client.chat.completions.create(model=model, messages=[]),
}.items():
    try:
        call()
        refusals[name] = {"status": None}
    except openai.APIStatusError as error:
        body = error.body if isinstance(error.body, dict) else {}
        refusals[name] = {
            "status": error.status_code,
            "exception": type(error).__name__,
            "code": body.get("code"),
            "param": body.get("param"),
            "type": body.get("type"),
        }
observed["refusals"] = refusals


def one_client(index):
    answer = client.completions.create(model=model, prompt="client %d asks" % index, max_tokens=4 + index % 5)
    return {"index": index, "usage": usage(answer.usage), "finish_reason": answer.choices[0].finish_reason}


with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
    observed["concurrent"] = list(pool.map(one_client, range(32)))

print(json.dumps(observed, sort_keys=True))
