"""Unbinds a meeting chat, and lists calendars, on the local Feishu server through the official
Python SDK, lark-oapi.

Run by server/tests/official_sdk.rs, which starts the server, passes its base URL and the demo
app's ids, and checks the report this writes (JSON, to --report) against what the server saw.
The SDK is used as an app would use it: app id and secret only, the SDK buys its own token.
"""

import argparse
import importlib.metadata
import json

import lark_oapi as lark
from lark_oapi.api.calendar.v4 import (
    DeleteCalendarEventMeetingChatRequest,
    ListCalendarRequest,
)
from lark_oapi.core.exception import ObtainAccessTokenException


def client(base_url, app_id, app_secret):
    return (
        lark.Client.builder()
        .app_id(app_id)
        .app_secret(app_secret)
        .domain(base_url)
        .timeout(10)
        .log_level(lark.LogLevel.ERROR)
        .build()
    )


def unbind(sdk, args):
    """Unbinds the meeting chat; returns what the SDK reports of the answer."""
    request = (
        DeleteCalendarEventMeetingChatRequest.builder()
        .calendar_id(args.calendar_id)
        .event_id(args.event_id)
        .meeting_chat_id(args.meeting_chat_id)
        .build()
    )
    response = sdk.calendar.v4.calendar_event_meeting_chat.delete(request)
    return {
        "success": response.success(),
        "code": response.code,
        "msg": response.msg,
        "log_id": response.get_log_id(),
    }


def list_calendars(sdk):
    """Lists calendars, an endpoint the server answers by its spec alone; returns what the
    SDK decoded of the answer."""
    response = sdk.calendar.v4.calendar.list(ListCalendarRequest.builder().page_size(50).build())
    data = response.data
    return {
        "success": response.success(),
        "code": response.code,
        "log_id": response.get_log_id(),
        "has_more": data.has_more if data else None,
        "page_token": data.page_token if data else None,
        "calendars": [
            {"calendar_id": c.calendar_id, "summary": c.summary, "role": c.role}
            for c in (data.calendar_list or [])
        ]
        if data
        else None,
    }


def token_refusal(args, app_id, app_secret):
    """Tries to unbind with credentials the server should refuse; returns the refusal, or
    None when the SDK got through."""
    try:
        unbind(client(args.base_url, app_id, app_secret), args)
    except ObtainAccessTokenException as refused:
        return {"code": refused.code, "msg": refused.msg}
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in (
        "base-url",
        "app-id",
        "app-secret",
        "calendar-id",
        "event-id",
        "meeting-chat-id",
        "report",
    ):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()

    report = {"sdk_version": importlib.metadata.version("lark-oapi")}
    # Refusals first: the SDK caches a token per app id, and would not ask again.
    report["wrong_secret"] = token_refusal(args, args.app_id, args.app_secret + "-wrong")
    report["unknown_app"] = token_refusal(args, "cli_not_an_app", args.app_secret)
    sdk = client(args.base_url, args.app_id, args.app_secret)
    report["unbind"] = unbind(sdk, args)
    report["unbind_again"] = unbind(sdk, args)
    report["list_calendars"] = list_calendars(sdk)
    with open(args.report, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)


if __name__ == "__main__":
    main()
