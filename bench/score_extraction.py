"""Score the text extractor on gold-annotated documents, per document and as means.

The gazetteer is that of a store holding the bundled data only. Run:
``python bench/score_extraction.py tests/data/extraction-unseen/tune`` (several folders may be
given; ``--founding`` adds the founding press release, ``-v`` lists misses and wrong guesses,
``--means-only`` prints each folder's means and no per-document line: the way to score the
held-out half, whose per-document results are not to be looked at).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the scorer lives beside the tests that use it
from extraction_scoring import DATA, bundled_gazetteer, mean, score_folder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--founding", action="store_true", help="score the founding press release too")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and wrong guesses")
    parser.add_argument(
        "--means-only", action="store_true", help="print only the means (for the held-out half)"
    )
    args = parser.parse_args()
    gaz = bundled_gazetteer()
    groups = [(str(f), [(n, s) for n, s in score_folder(f, gaz)]) for f in args.folders]
    if args.founding:
        founding = [
            (n, s) for n, s in score_folder(DATA / "extraction", gaz) if n == "iclei-shenzhen-mou-cop21"
        ]
        groups.append(("founding release", founding))
    if args.means_only and args.verbose:
        parser.error("--means-only hides per-document results; -v would print them")
    for title, scores in groups:
        print(f"\n## {title}\n\n| document | entity P | entity R | relation R |\n|---|---|---|---|")
        for name, s in [] if args.means_only else scores:
            print(f"| {name} | {s.precision:.2f} | {s.recall:.2f} | {s.relation_recall:.2f} |")
            if args.verbose:
                print(
                    f"    missed={s.missed}\n    wrong={s.wrong}\n    missed relations={s.missed_relations}"
                )
        p, r, rr = mean([s for _, s in scores])
        label = f"mean of {len(scores)}" if args.means_only else "mean"
        print(f"| **{label}** | **{p:.2f}** | **{r:.2f}** | **{rr:.2f}** |")


if __name__ == "__main__":
    main()
