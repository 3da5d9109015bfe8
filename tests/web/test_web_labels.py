"""The page's label catalogue, ``api/web/static/js/labels.json`` ({key: [zh, en]}): every label a module
names by a literal key is in it, with a Chinese and an English text (no browser needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

STATIC_JS = Path(__file__).resolve().parents[2] / "api" / "web" / "static" / "js"
NAMED = re.compile(r'\bt\("([^"]+)"|\blabel: "([^"]+)"')  # t("key", …) and a view's or parameter's label: "key"


def test_every_label_a_module_names_is_in_the_catalogue_in_chinese_and_english():
    labels = json.loads((STATIC_JS / "labels.json").read_text(encoding="utf-8"))
    assert all(isinstance(texts, list) and len(texts) == 2 and all(texts) for texts in labels.values())
    named = {key for module in STATIC_JS.rglob("*.js") for match in NAMED.finditer(module.read_text(encoding="utf-8"))
             for key in match.groups() if key}
    assert len(named) > 300
    assert sorted(named - labels.keys()) == []
