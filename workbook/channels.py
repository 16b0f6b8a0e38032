"""P4.2 logic: how the person's search is spread across channels.

Actions logged on the Channels page are counted per channel, planned and done; the
rejection log adds how many applications went in through online channels, so the mix
shows how much rests on applying online.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbook.models import ChannelAction, Rejection


@dataclass(frozen=True)
class MixRow:
    label: str
    planned: int
    done: int


def mix(
    actions: Sequence[ChannelAction],
    labels: Mapping[str, str],
    rejections: Sequence[Rejection] = (),
    online: Sequence[str] = (),
    online_label: str = "Online applications",
) -> list[MixRow]:
    """One row per channel in content order (unknown channels after), then online
    applications from the log (counted as done) when there are any."""
    planned: dict[str, int] = dict.fromkeys(labels, 0)
    done: dict[str, int] = dict.fromkeys(labels, 0)
    for action in actions:
        target = done if action.status == "done" else planned
        planned.setdefault(action.channel, 0)
        done.setdefault(action.channel, 0)
        target[action.channel] += 1
    rows = [MixRow(labels.get(k, k), planned[k], done[k]) for k in planned]
    online_keys = {o.casefold() for o in online}
    applied = sum(1 for r in rejections if r.channel and r.channel.casefold() in online_keys)
    if applied:
        rows.append(MixRow(online_label, 0, applied))
    return rows


def share_beyond_online(rows: Sequence[MixRow], online_label: str) -> float | None:
    """Share of done actions that were not online applications (None if nothing done)."""
    total = sum(r.done for r in rows)
    if not total:
        return None
    beyond = sum(r.done for r in rows if r.label != online_label)
    return beyond / total
