"""How a check speaks: each problem on its own line, or one line that says what passed."""


def report(problems: list[str], success: str) -> int:
    """Print each problem, or the success line; return the exit code of a check."""
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(success)
    return 0
