"""`insights --help` start-up time: median of 15 runs as a whole process, target under 0.5 s.

The baseline, 2.5 s, is the time before commands loaded their libraries lazily.
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 0.5
BASELINE_S = 2.5
INSIGHTS = Path(sys.executable).with_name("insights")


def one_run() -> float:
    """Seconds for one `insights --help`, process start to exit."""
    started = time.perf_counter()
    subprocess.run([str(INSIGHTS), "--help"], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    """Print the median, its ratio to the target and its speed-up over the baseline."""
    one_run()  # warm the file cache
    runs = sorted(one_run() for _ in range(15))
    median = statistics.median(runs)
    print(
        f"insights --help: median {median * 1000:.0f} ms (min {runs[0] * 1000:.0f}, "
        f"max {runs[-1] * 1000:.0f}) over {len(runs)} runs"
    )
    print(
        f"ratio to the {TARGET_S} s target: {median / TARGET_S:.2f}; "
        f"{BASELINE_S / median:.1f}x faster than the {BASELINE_S} s baseline"
    )
    if median >= TARGET_S:
        sys.exit("over target")


if __name__ == "__main__":
    main()
