"""Convert an XLSForm workbook with pyxform and read the resulting XForm back for the tests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from pyxform.xls2xform import convert

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"
JR = "{http://openrosa.org/javarosa}"
_ITEMSET = re.compile(r"^instance\('([^']+)'\)/root/item$")
_ITEXT = re.compile(r"^jr:itext\('([^']+)'\)$")


@dataclass
class Control:
    """One question of the XForm body."""

    path: str
    tag: str
    label: str
    choices: list[tuple[str, str]] | None
    attrib: dict[str, str]

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[1]


@dataclass
class XForm:
    xml: str
    warnings: list[str]
    root: ET.Element = field(repr=False)
    binds: dict[str, dict[str, str]]
    controls: dict[str, Control]
    repeats: dict[str, dict[str, str]]
    """Repeat nodeset → attributes of its ``<repeat>``."""

    @property
    def instance(self) -> ET.Element:
        model = self.root.find(f"{H}head/{XF}model")
        return model.find(f"{XF}instance")[0]

    def names(self) -> list[str]:
        """Last path segment of every bound node (questions, notes, calculates, metadata)."""
        return [path.rsplit("/", 1)[1] for path in self.binds]

    def path(self, name: str) -> str:
        """The only bound path ending in ``/name``."""
        found = [p for p in self.binds if p.rsplit("/", 1)[1] == name]
        assert len(found) == 1, (name, found)
        return found[0]

    def control(self, name: str) -> Control:
        return self.controls[self.path(name)]

    def bind(self, name: str) -> dict[str, str]:
        return self.binds[self.path(name)]

    def repeat_of(self, name: str) -> str | None:
        """Nodeset of the innermost repeat holding question ``name``."""
        path = self.path(name)
        holders = [r for r in self.repeats if path.startswith(r + "/")]
        return max(holders, key=len) if holders else None

    def default(self, name: str) -> str | None:
        """Default value of a top-level or nested node in the primary instance."""
        parts = self.path(name).split("/")[2:]
        node = self.instance
        for part in parts:
            node = node.find(f"{XF}{part}")
            assert node is not None, (name, part)
        return node.text


def to_xform(workbook: Workbook, tmp_path: Path, name: str = "form") -> XForm:
    """Save ``workbook``, convert it with pyxform (no ODK Validate: it needs Java) and parse."""
    source = tmp_path / f"{name}.xlsx"
    workbook.save(source)
    warnings: list[str] = []
    result = convert(xlsform=str(source), warnings=warnings, validate=False)
    return parse(result.xform, warnings)


def parse(xml: str, warnings: list[str]) -> XForm:
    root = ET.fromstring(xml)
    model = root.find(f"{H}head/{XF}model")
    itext: dict[str, str] = {}
    for text in model.iter(f"{XF}text"):
        value = text.find(f"{XF}value")
        itext[text.get("id")] = "".join(value.itertext()) if value is not None else ""
    secondary: dict[str, list[tuple[str, str]]] = {}
    for instance in model.findall(f"{XF}instance"):
        if instance.get("id"):
            items = []
            for item in instance.iter(f"{XF}item"):
                name = item.find(f"{XF}name").text
                label_id = item.find(f"{XF}itextId")
                label = item.find(f"{XF}label")
                items.append(
                    (name, itext[label_id.text] if label_id is not None else label.text or "")
                )
            secondary[instance.get("id")] = items
    binds = {bind.get("nodeset"): dict(bind.attrib) for bind in model.iter(f"{XF}bind")}
    controls: dict[str, Control] = {}
    repeats: dict[str, dict[str, str]] = {}
    body = root.find(f"{H}body")
    for element in body.iter():
        tag = element.tag.removeprefix(XF)
        if tag == "repeat":
            repeats[element.get("nodeset")] = dict(element.attrib)
            continue
        ref = element.get("ref")
        if ref is None or tag in ("label", "hint", "value"):
            continue
        label_node = element.find(f"{XF}label")
        label = ""
        if label_node is not None:
            match = _ITEXT.match(label_node.get("ref") or "")
            label = itext[match.group(1)] if match else "".join(label_node.itertext())
        choices = None
        itemset = element.find(f"{XF}itemset")
        if itemset is not None:
            choices = secondary[_ITEMSET.match(itemset.get("nodeset")).group(1)]
        controls[ref] = Control(ref, tag, label, choices, dict(element.attrib))
    return XForm(xml, warnings, root, binds, controls, repeats)
