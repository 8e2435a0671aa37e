"""Participants behind a workshop's link, who have no account: known by their device key,
kept in their browser's signed session and, on pages that send it back, in localStorage."""

from flask import request

from insights.core.limits import device_key


def participant_token() -> str:
    """This browser's participant token: the device key it offers (the "device" field a
    ballot fills from localStorage), else the one in its session, else a new one."""
    offered = request.form.get("device") if request.method == "POST" else None
    return device_key(offered)
