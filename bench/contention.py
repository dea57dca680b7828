"""Contention: 16 clients book the same property and dates at once, round after round.

Per round exactly one booking may win (201), the others must get 409; a 5xx
is a bug. The figure is the time from the round's first request to its last
answer.
"""
from __future__ import annotations

import time
from collections import Counter

from bench.measure import Outcome, Row, latency_rows, run_clients
from bench.stack import Stack
from bench.workload import api_session, make_properties, stay

NAME = "contention"
CLIENTS = 16


def client(url: str, token: str, property_id: str, rounds: int):
    def loop(_index: int, barrier) -> list[tuple]:
        session, answers = api_session(token), []
        session.get(url.replace("/bookings/", "/properties/"), timeout=60)  # warm the keep-alive connection
        for number in range(rounds):
            check_in, check_out = stay(number)
            barrier.wait(120)
            began = time.time()
            status = session.post(url, json={"property_id": property_id, "check_in": check_in.isoformat(),
                                             "check_out": check_out.isoformat()}, timeout=60).status_code
            answers.append((number, status, began, time.time()))
        return answers
    return loop


def run(stack: Stack, scale) -> Outcome:
    rounds = scale.contention_rounds
    (property_id,) = make_properties(stack, 1, "Contended")
    answers = [a for per_client in run_clients(CLIENTS, client(
        f"{stack.web().url}/api/v1/bookings/", stack.token(), str(property_id), rounds)) for a in per_client]
    statuses = Counter("5xx" if status >= 500 else status for _, status, _, _ in answers)
    by_round: dict[int, list[tuple]] = {}
    for answer in answers:
        by_round.setdefault(answer[0], []).append(answer)
    resolve = [max(a[3] for a in round_) - min(a[2] for a in round_) for round_ in by_round.values()]
    single_winner = sum(1 for round_ in by_round.values() if sum(a[1] == 201 for a in round_) == 1)
    total = sum(resolve)
    outcome = Outcome(rows=[
        Row(NAME, f"{CLIENTS} clients x {rounds} rounds: total resolve time", total, "s"),
        *latency_rows(NAME, "round resolve time", resolve),
        Row(NAME, "201 answers", statuses[201], "", target=f"= {rounds}", met=statuses[201] == rounds),
        Row(NAME, "409 answers", statuses[409], "", target=f"= {rounds * (CLIENTS - 1)}",
            met=statuses[409] == rounds * (CLIENTS - 1)),
        Row(NAME, "5xx answers", statuses["5xx"], "", target="= 0", met=statuses["5xx"] == 0),
        Row(NAME, "rounds with exactly one 201", single_winner, "", target=f"= {rounds}", met=single_winner == rounds),
    ])
    others = {k: v for k, v in statuses.items() if k not in (201, 409, "5xx")}
    if others:
        outcome.notes.append(f"contention: other statuses {others}")
    return outcome
