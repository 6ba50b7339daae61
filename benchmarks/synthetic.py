"""Synthetic but valid study records, generated from a taxonomy, for benchmarks and scale tests.

    .venv/bin/python benchmarks/synthetic.py 10000 /tmp/data10k [--seed 1] [--source data]

writes a data folder (studies/<id>.yaml plus the source folder's taxonomy.yaml and review.yaml) that
`evidence-map validate` accepts. From Python: `synthetic_records(n, taxonomy, seed)`.

Records look like the real ones where it matters for size and speed: titles of 6 to 18 words,
1 to 14 authors, summaries of two to four sentences (about 150 to 600 characters), one to three
values in most multi-valued facets (some left empty, so 'not reported' occurs), skewed value
frequencies (a few applications and approaches dominate, as in the literature), a year range with
more recent studies, and optional DOI, URL, key result and code link. The same (n, taxonomy, seed)
always gives the same records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.evidence.records import ordered  # noqa: E402
from generator.evidence.taxonomy import Facet, Taxonomy, parse_taxonomy  # noqa: E402


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = _words(
    "smith wang li zhang chen liu garcia muller rossi kim park nguyen silva kumar singh tanaka "
    "sato novak ivanova kowalski jensen hansen larsen virtanen korhonen dubois martin bernard "
    "lopez gonzalez fernandez ahmed hassan ali khan cohen levi okafor adeyemi mensah schmidt "
    "fischer weber meyer wagner becker hoffmann schulz koch richter klein wolf neumann "
    "schwarz zimmermann kruger hartmann lange werner krause lehmann brown taylor wilson evans "
    "thomas johnson roberts walker wright robinson thompson white hughes edwards green hall wood "
    "harris clarke jackson turner hill moore cooper ward morris king lee scott baker adams"
)
GIVEN = _words(
    "anna ben carla daniel elena farid grace hiro irene jun karin lars maria nikhil olga pavel "
    "qing rosa sven tariq ursula victor wen xavier yuki zara amir beatriz chloe dmitri eva felix "
    "gabriel hana ivan julia kenji laura marco nadia oscar priya rafael sofia tomas uma vera"
)
TITLE_WORDS = _words(
    "transfer learning deep convolutional neural network brain mri magnetic resonance imaging "
    "segmentation classification glioma tumour lesion stroke multiple sclerosis alzheimer disease "
    "dementia cognitive impairment domain adaptation adversarial fine-tuning pretrained imagenet "
    "features multi-site harmonization scanner protocol unsupervised semi-supervised few-shot "
    "federated privacy preserving self-supervised contrastive representation attention transformer "
    "u-net residual volumetric patch-based slice ensemble knowledge distillation teacher student "
    "cross-modality synthesis reconstruction k-space undersampled super-resolution registration "
    "atlas white matter hyperintensities grey cortical subcortical hippocampus connectome "
    "functional resting-state diffusion tractography paediatric neonatal ageing brain-age "
    "prediction detection grading survival prognosis biomarkers radiomics small datasets robust "
    "generalisation unseen domains label-efficient weakly supervised uncertainty calibration "
    "explainable interpretable clinical validation cohort external evaluation benchmark"
)
TITLE_PATTERNS = (
    "{a} for {b}", "{a}: {b}", "{a} in {b}", "Towards {a} with {b}", "{a} using {b}",
    "On {a} and {b}", "{a} via {b}", "Improving {a} by {b}",
)
SENTENCES = (
    "A {arch} pretrained on {src} was adapted to {tgt} for {app}.",
    "The authors compared {approach} with training from scratch on {tgt}, reporting gains for small training sets.",
    "Features from a frozen {arch} fed a {clf} classifier that separated patients from controls on {tgt}.",
    "Domain shift between scanners in {tgt} was reduced by aligning feature distributions during training.",
    "Pretraining on {src} shortened training and improved accuracy, most clearly with fewer than 100 labelled scans.",
    "Results on an external cohort suggest that the transferred model generalises better than the baseline.",
    "An ablation over which layers to freeze showed that updating the deeper layers mattered most.",
    "The study also released code and trained weights so that others can reproduce the experiments.",
    "Performance was reported with cross-validation and a held-out test set of {n} subjects.",
)
ARCHITECTURES = (
    "U-Net", "ResNet", "VGG16", "VGG19", "DenseNet", "Inception-v3", "AlexNet", "EfficientNet",
    "ViT", "Swin Transformer", "nnU-Net", "DeepMedic", "MobileNet", "3D CNN", "Autoencoder", "GAN",
)
DATASETS = (
    "ADNI", "BraTS", "ImageNet", "ABIDE", "OASIS", "UK Biobank", "IXI", "ATLAS", "ISLES", "MSSEG",
    "WMH Challenge", "HCP", "PPMI", "ADHD-200", "in-house", "MICCAI 2012", "LIDC", "CamCAN", "AIBL",
)
VENUES = (
    "NeuroImage", "Medical Image Analysis", "IEEE Transactions on Medical Imaging", "MICCAI",
    "Frontiers in Neuroscience", "Scientific Reports", "Journal of Neuroscience Methods",
    "Computers in Biology and Medicine", "Human Brain Mapping", "Radiology: Artificial Intelligence",
    "IEEE ISBI", "Neurocomputing", "NeuroImage: Clinical", "Magnetic Resonance in Medicine",
    "Journal of Imaging", "arXiv", "Brain Informatics", "Pattern Recognition", "IEEE Access",
    "International Journal of Imaging Systems and Technology",
)


def _weights(facet: Facet, rng: random.Random) -> list[float]:
    """Skewed value frequencies (Zipf-like) in a random order per facet."""
    w = [1.0 / (rank + 1) for rank in range(len(facet.values))]
    rng.shuffle(w)
    return w


def _pick_many(values: list[Any], weights: list[float], k: int, rng: random.Random) -> list[Any]:
    chosen: list[Any] = []
    pool, w = list(values), list(weights)
    for _ in range(min(k, len(pool))):
        i = rng.choices(range(len(pool)), weights=w)[0]
        chosen.append(pool.pop(i))
        w.pop(i)
    return chosen


def _title(rng: random.Random) -> str:
    def phrase(lo: int, hi: int) -> str:
        return " ".join(rng.sample(TITLE_WORDS, rng.randint(lo, hi)))

    text = rng.choice(TITLE_PATTERNS).format(a=phrase(3, 8), b=phrase(3, 9))
    return text[0].upper() + text[1:]


def _summary(rng: random.Random) -> str:
    fill = {
        "arch": rng.choice(ARCHITECTURES), "src": rng.choice(DATASETS), "tgt": rng.choice(DATASETS),
        "app": rng.choice(("tumour segmentation", "Alzheimer's disease classification", "lesion detection",
                           "brain age estimation", "autism diagnosis")),
        "approach": rng.choice(("fine-tuning", "feature extraction", "domain adaptation")),
        "clf": rng.choice(("SVM", "random-forest", "logistic-regression")), "n": rng.randint(20, 900),
    }
    return " ".join(s.format(**fill) for s in rng.sample(SENTENCES, rng.randint(2, 4)))


MEMBERSHIP_FACETS = ("source_review",)
"""Facets whose values the validator checks against data/searches/ (review.yaml's source_review)."""


def synthetic_records(n: int, taxonomy: Taxonomy, seed: int = 0) -> list[dict[str, Any]]:
    """n valid study records (dicts ready for yaml.safe_dump), deterministic for (n, taxonomy, seed)."""
    rng = random.Random(seed)
    weights = {f.name: _weights(f, rng) for f in taxonomy.facets}
    years = list(range(2010, 2026))
    year_w = [1 + (y - 2010) ** 1.5 for y in years]
    ids: set[str] = set()
    out = []
    for i in range(n):
        surname = rng.choice(SURNAMES)
        year = rng.choices(years, weights=year_w)[0]
        title = _title(rng)
        first_word = next((w for w in title.lower().split() if len(w) > 3 and w.isalpha()), "study")
        sid = f"{surname}{year}{first_word}"
        if sid in ids:
            sid = f"{sid}-{i}"
        ids.add(sid)
        authors = [f"{surname.capitalize()}, {rng.choice(GIVEN).capitalize()}"]
        wanted = 1 + rng.choices(range(14), weights=[3, 6, 9, 10, 10, 9, 7, 5, 4, 3, 2, 2, 1, 1])[0]
        while len(authors) < wanted:  # the validator rejects an author listed twice
            name = f"{rng.choice(SURNAMES).capitalize()}, {rng.choice(GIVEN).capitalize()}"
            if name not in authors:
                authors.append(name)
        rec: dict[str, Any] = {
            "id": sid, "title": title, "authors": authors, "authors_truncated": rng.random() < 0.05,
            "year": year, "venue": rng.choice(VENUES),
            "doi": f"10.{5000 + i % 4000}/synthetic.{i}" if rng.random() < 0.85 else None,
            "url": f"https://example.org/papers/{sid}" if rng.random() < 0.6 else None,
            "summary": _summary(rng),
            "key_result": f"{rng.choice(('Dice', 'AUC', 'accuracy'))} 0.{rng.randint(60, 99)}" if rng.random() < 0.4 else None,
            # Fresh lists for every field: PyYAML would write a shared list as an alias, which the loader rejects.
            "architectures": rng.sample(ARCHITECTURES, rng.choices((0, 1, 2, 3), weights=(2, 6, 3, 1))[0]),
            "source_datasets": rng.sample(DATASETS, rng.choices((0, 1, 2), weights=(2, 6, 2))[0]),
            "target_datasets": rng.sample(DATASETS, rng.choices((1, 2, 3), weights=(6, 3, 1))[0]),
            "code_url": f"https://github.com/{surname}-lab/{sid}" if rng.random() < 0.25 else None,
            "added": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365)),
        }
        for f in taxonomy.facets:
            if f.name in MEMBERSHIP_FACETS:
                continue  # its values must match a search record's included list: left to its default
            values = [v.value for v in f.values]
            if f.multi:
                k = rng.choices((0, 1, 2, 3), weights=(0 if f.required else 1.5, 6, 2.5, 1))[0]
                rec[f.name] = _pick_many(values, weights[f.name], max(k, f.min_items), rng)
            else:
                rec[f.name] = rng.choices(values, weights=weights[f.name])[0]
        out.append(ordered(rec, taxonomy))
    return out


class _NoAliases(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_data(out: Path, n: int, seed: int = 0, source: Path = ROOT / "data") -> Path:
    """A data folder with n synthetic records and the source folder's taxonomy and review."""
    (out / "studies").mkdir(parents=True, exist_ok=True)
    for name in ("taxonomy.yaml", "review.yaml"):
        shutil.copy(source / name, out / name)
    taxonomy = parse_taxonomy(yaml.safe_load((source / "taxonomy.yaml").read_text(encoding="utf-8")))
    for rec in synthetic_records(n, taxonomy, seed):
        text = yaml.dump(rec, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)
        (out / "studies" / f"{rec['id']}.yaml").write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a data folder of synthetic, valid study records.")
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("out", type=Path, help="data folder to create (studies/, taxonomy.yaml, review.yaml)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", type=Path, default=ROOT / "data", help="data folder whose taxonomy and review to use")
    args = parser.parse_args(argv)
    if (args.out / "studies").exists() and any((args.out / "studies").iterdir()):
        parser.error(f"{args.out / 'studies'} is not empty")
    write_data(args.out, args.n, args.seed, args.source)
    print(f"wrote {args.n} records to {args.out / 'studies'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
