"""Generated documents shaped like the corpus's hard-wrapped ones, for the source and reading-view
tests (no corpus needed).

- a press release wrapped at ~80 characters with a blank line after every line and two between
  paragraphs, as the seeds' Russian press release (seeds/001) is;
- a law wrapped at ~65 characters with spaced-out `С т а т ь я` headings and definitions ending in
  `;`, as corpus/ru/vodnyi-kodeks-rf-1995.txt is, published at a URL;
- a note nobody described (its source is its own path);
- a two-page PDF report.
"""

from __future__ import annotations

from pathlib import Path

PRESS_RELEASE = """
ПРЕСС-РЕЛИЗ

Бишкек, 1 июня 2013 года.


Обсуждение применения наилучших практик в области защиты прав трудовых

мигрантов в Кыргызстане


Тянь-Шаньский аналитический центр (ТАЦ) при Американском университете в Центральной

Азии, совместно с ОО «Ресурсный центр для пожилых», 3-4 июня 2013г., проводит

Международную конференцию «Передовой опыт в области защиты прав трудовых мигрантов

и перспективы его применения в Кыргызстане».


Конференция объединит экспертов, как государственных, так и международных организаций,

образовательных учреждений, НПО, аналитических центров Кыргызстана, Таджикистана,

Казахстана, России и США для обсуждения международного прогрессивного опыта в

области соблюдения прав трудовых мигрантов.
"""

WRAPPED_LAW = """ВОДНЫЙ КОДЕКС ТЕСТОВОЙ РЕСПУБЛИКИ

С т а т ь я 1. Основные понятия

В настоящем Кодексе используются следующие основные понятия:
водозабор - комплекс сооружений и устройств для забора воды из
водных объектов;
водохозяйственная деятельность - деятельность граждан и
юридических лиц, связанная с использованием, восстановлением и
охраной водных объектов;
лицензия на водопользование - специальное разрешение на
пользование водными объектами или их частями на определенных
условиях.

С т а т ь я 2. Водное законодательство
Тестовой Республики

В соответствии с Конституцией Тестовой Республики водное
законодательство находится в совместном ведении республики и ее
областей.
Трудовые мигранты пользуются водными объектами наравне с
гражданами в порядке, установленном настоящим Кодексом:
1) для питьевого и хозяйственно-бытового водоснабжения;
2) для полива садовых и огородных участков,
расположенных на землях населенных пунктов;
3) для иных нужд.
"""

NOTE = "Заметка о трудовых мигрантах без описания в манифесте.\n"

PDF_PAGES = [
    "Отчет о положении трудовых мигрантов\n\nТрудовые мигранты из Кыргызстана работают в России.",
    "Рекомендации\n\nТрудовым мигрантам нужна защита прав на родине и за рубежом.",
]

PRESS_PUBLISHER = "Тянь-Шаньский аналитический центр, АУЦА"
PRESS_SITE = "auca.kg/ru/tspc"
LAW_URL = "https://example.org/laws/vodnyi-kodeks"


def write_reading_documents(folder: Path) -> Path:
    """The four documents and their MANIFEST.tsv (the note has no row) in `folder`."""
    from tests.pdfgen import make_pdf

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "press.txt").write_text(PRESS_RELEASE, encoding="utf-8")
    (folder / "law.txt").write_text(WRAPPED_LAW, encoding="utf-8")
    (folder / "note.txt").write_text(NOTE, encoding="utf-8")
    make_pdf(folder / "report.pdf", PDF_PAGES)
    rows = [
        "path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes",
        f"press.txt\tОбсуждение прав трудовых мигрантов (пресс-релиз)\tkg\tpress_release\tru\t2013-06-01\t{PRESS_PUBLISHER} ({PRESS_SITE})\t",
        f"law.txt\tВодный кодекс Тестовой Республики\tkg\tcode\tru\t1995-11-16\t{LAW_URL}\t",
        "report.pdf\tОтчет о положении трудовых мигрантов\tkg\treport\tru\t2012-11\tЦентр миграционной политики\t",
    ]
    (folder / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def build_reading_index(tmp: Path) -> Path:
    """The documents indexed into `tmp/ix` by the real pipeline."""
    from indexer.writer import index_paths

    source = write_reading_documents(tmp / "docs")
    index_dir = tmp / "ix"
    report = index_paths([source], index_dir, workers=1, progress=False)
    assert not report.skipped, report.summary()
    return index_dir
