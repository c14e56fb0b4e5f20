#!/usr/bin/python3
"""A v0 API client in Python, as third-party tools of the time were written: stubs generated
from api.proto by grpc_tools, plain calls, no knowledge of legacyd. Creates a container, runs
`sh -c 'exit 5'` in it, follows Events until that process exits, calls State, and prints one
JSON summary line on stdout. Any failure exits non-zero with the reason on stderr.

Run with Debian's /usr/bin/python3 (python3-grpcio, python3-grpc-tools)."""

import argparse
import json
import queue
import sys
import threading
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--address", required=True, help="unix:///path/to/socket")
    ap.add_argument("--stubs", required=True, help="dir holding api_pb2.py and api_pb2_grpc.py")
    ap.add_argument("--id", required=True, help="container id")
    ap.add_argument("--bundle", required=True, help="absolute bundle path")
    ap.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for the exit event")
    args = ap.parse_args()

    sys.path.insert(0, args.stubs)
    import grpc  # noqa: E402
    import api_pb2  # noqa: E402
    import api_pb2_grpc  # noqa: E402

    with grpc.insecure_channel(args.address) as channel:
        grpc.channel_ready_future(channel).result(timeout=30)
        stub = api_pb2_grpc.APIStub(channel)

        created = stub.CreateContainer(
            api_pb2.CreateContainerRequest(id=args.id, bundlePath=args.bundle), timeout=30
        )

        # Subscribe before starting the process, pumping the stream from a thread.
        events = stub.Events(api_pb2.EventsRequest())
        inbox: "queue.Queue[object]" = queue.Queue()

        def pump() -> None:
            try:
                for ev in events:
                    inbox.put(ev)
            except grpc.RpcError as err:
                inbox.put(err)

        threading.Thread(target=pump, daemon=True).start()
        # One round trip on the same channel: the subscription is registered by now.
        stub.State(api_pb2.StateRequest(), timeout=30)

        proc = stub.AddProcess(
            api_pb2.AddProcessRequest(
                id=args.id,
                args=["sh", "-c", "exit 5"],
                env=["PATH=/bin:/usr/bin"],
                cwd="/",
                user=api_pb2.User(uid=0, gid=0),
            ),
            timeout=30,
        )

        seen = []
        exit_event = None
        deadline = time.monotonic() + args.timeout
        while exit_event is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                sys.exit(f"no exit event for pid {proc.pid} within {args.timeout}s; events seen: {seen}")
            try:
                item = inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            if isinstance(item, grpc.RpcError):
                sys.exit(f"Events stream failed: {item.code()} {item.details()}; events seen: {seen}")
            seen.append(f"{item.type} id={item.id} pid={item.pid} status={item.status}")
            if item.type == "exit" and item.id == args.id and item.pid == proc.pid:
                exit_event = item
        events.cancel()

        state = stub.State(api_pb2.StateRequest(), timeout=30)

    print(
        json.dumps(
            {
                "create_pid": created.pid,
                "exec_pid": proc.pid,
                "exit": {"id": exit_event.id, "pid": exit_event.pid, "status": exit_event.status},
                "events_seen": seen,
                "containers": [
                    {
                        "id": c.id,
                        "status": c.status,
                        "bundlePath": c.bundlePath,
                        "pids": [p.pid for p in c.processes],
                    }
                    for c in state.containers
                ],
                "machine": {"id": state.machine.id, "cpus": state.machine.cpus, "memory": state.machine.memory},
            }
        )
    )


if __name__ == "__main__":
    main()
