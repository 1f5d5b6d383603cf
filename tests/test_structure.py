"""The provision splitter on real corpus documents, generated PDFs and small edge-case texts."""

from __future__ import annotations

import pytest

from indexer.extract import extract
from indexer.models import Page
from indexer.structure import analyze_numbering, split_passages
from tests.corpus_files import CORPUS
from tests.pdfgen import make_pdf

needs_corpus = pytest.mark.usefixtures("corpus")  # its tier and skip follow from the fixture


def read(relpath: str) -> list[Page]:
    return [Page(1, (CORPUS / relpath).read_text(encoding="utf-8"))]


def articles(passages):
    return [p for p in passages if p.kind == "article"]


@needs_corpus
def test_115_fz_article_13_3_has_label_heading_path_and_page():
    passages = split_passages(read("ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt"),
                              doc_type="law", language="ru")
    found = [p for p in passages if p.number == "13.3"]
    first = found[0]
    assert first.label == "Статья 13.3"
    assert first.kind == "article"
    assert first.heading.startswith("Особенности трудовой деятельности иностранных граждан")
    assert first.path == ["Глава I. Общие положения", "Статья 13.3"]
    assert first.pages == [1]
    assert first.text.startswith("Статья 13.3. Особенности")
    # the article is long: its continuation chunks keep label, heading and path
    assert len(found) > 1
    assert all(p.kind == "article-chunk" and p.heading == first.heading for p in found[1:])
    assert all(len(p.text) < 5200 for p in found)
    assert passages[0].kind == "preamble" and "115-ФЗ" in passages[0].text


@needs_corpus
def test_extracted_code_with_superscripts_normalised_by_the_extractor():
    # the extractor turns "Статья 327¹" into "Статья 327.1"; raw text keeps the superscript
    raw = {p.number for p in articles(split_passages(read("ru/ugolovnyi-kodeks-rf.txt")))}
    extracted = extract(CORPUS / "ru/ugolovnyi-kodeks-rf.txt")
    normalised = {p.number for p in articles(split_passages(extracted.pages))}
    assert "327.1" in raw and "322.1" in raw
    assert raw == normalised


def test_superscript_and_decimal_forms_give_the_same_number():
    text_sup = "Глава 50¹. Особые нормы\n\nСтатья 327¹. Подделка\nТекст статьи о подделке.\n\n" \
               "Статья 327². Другое\nЕще текст статьи.\n"
    text_dec = text_sup.replace("50¹", "50.1").replace("327¹", "327.1").replace("327²", "327.2")
    for text in (text_sup, text_dec):
        passages = split_passages([Page(1, text)], doc_type="code")
        assert [p.label for p in articles(passages)] == ["Статья 327.1", "Статья 327.2"]
        assert articles(passages)[0].path == ["Глава 50.1. Особые нормы", "Статья 327.1"]
        assert articles(passages)[0].heading == "Подделка"


def test_references_inside_text_are_not_headings():
    text = ("Статья 1. Предмет\nВ соответствии со статьей 13 настоящего Закона.\n"
            "Статья 13 настоящего Закона применяется к иностранцам.\n\n"
            "Статья 2. Понятия\nСм. Статья 1 и статья 2.\n")
    passages = articles(split_passages([Page(1, text)], doc_type="law"))
    assert [p.number for p in passages] == ["1", "2"]
    assert "Статья 13 настоящего Закона применяется" in passages[0].text


def test_table_of_contents_is_not_doubled():
    contents = "Содержание\n\nСтатья 1. Цели\nСтатья 2. Понятия\nСтатья 3. Сфера\nСтатья 4. Срок\n\n"
    body = "".join(f"Статья {n}. Заголовок {n}\nТекст статьи номер {n}, достаточно длинный.\n\n"
                   for n in range(1, 5))
    passages = split_passages([Page(1, "Закон о примере\n\n" + contents + body)], doc_type="law")
    numbers = [p.number for p in articles(passages)]
    assert numbers == ["1", "2", "3", "4"]
    assert all("Текст статьи" in p.text for p in articles(passages))
    assert [p.kind for p in passages][:2] == ["preamble", "contents"]


def test_wrapped_heading_continues_only_before_a_blank_line():
    text = ("Статья 24. Российская Федерация и субъекты Российской\nФедерации - участники отношений\n\n"
            "От имени Российской Федерации участвуют органы власти.\n\n"
            "Статья 25. Муниципальные образования\nОни участвуют в отношениях в пределах компетенции.\n"
            "\nСтатья 26. Граждане\n")
    passages = articles(split_passages([Page(1, text)], doc_type="code"))
    assert passages[0].heading == "Российская Федерация и субъекты Российской Федерации - участники отношений"
    assert passages[1].heading == "Муниципальные образования"  # the body line ends with a period


def test_chapter_text_is_a_passage_only_when_it_says_something():
    text = ("Глава 1. Общие положения\n(В редакции Закона от 1.01.2020)\n\nСтатья 1. Цели\nТекст.\n\n"
            "Глава 2. Особые положения\nНастоящая глава применяется к иностранным гражданам и лицам без "
            "гражданства.\n\nСтатья 2. Понятия\nТекст второй статьи.\n")
    passages = split_passages([Page(1, text)], doc_type="law")
    assert [(p.kind, p.label) for p in passages] == [
        ("article", "Статья 1"), ("chapter", "Глава 2"), ("article", "Статья 2")]
    assert passages[2].path == ["Глава 2. Особые положения", "Статья 2"]


@needs_corpus
def test_convention_with_annexes_and_dutch_translation():
    extracted = extract(CORPUS / "int/ilo-c097-migration-for-employment-1949.md")
    passages = split_passages(extracted.pages, doc_type="convention", language="en")
    english = [p for p in articles(passages) if len(p.path) == 1]
    assert [p.number for p in english] == [str(n) for n in range(1, 24)]
    annex_two = [p.number for p in articles(passages) if p.path[0].split(".")[0] == "Annex II"]
    assert annex_two == [str(n) for n in range(1, 14)]
    dutch = [p for p in passages if p.language == "nl" and p.label.startswith("Artikel")]
    assert dutch and all(p.kind == "annex" and p.path[0].startswith("Translation (nl). Verdrag") for p in dutch)
    assert not any(p.label.startswith("Artikel") for p in articles(passages))
    numbering = analyze_numbering(extracted.pages, doc_type="convention", language="en")
    assert numbering.duplicates == [] and numbering.gaps == []


@needs_corpus
def test_markdown_article_titles_come_from_the_next_heading_line():
    extracted = extract(CORPUS / "int/coe-european-convention-legal-status-migrant-workers-1977.md")
    passages = articles(split_passages(extracted.pages, doc_type="convention", language="en"))
    by_number = {p.number: p for p in passages}
    assert by_number["1"].heading == "Definition"
    assert by_number["1"].path == ["Chapter I", "Article 1"]
    assert by_number["8"].heading == "Work permit"


@needs_corpus
@pytest.mark.parametrize("lang, label", [
    ("en", "Article 30"), ("ru", "Статья 30"), ("ky", "30-статья"), ("kk", "30-бап"), ("tg", "Моддаи 30")])
def test_udhr_in_five_languages(lang, label):
    passages = split_passages(read(f"int/udhr-1948-{lang}.txt"), language=lang)
    found = articles(passages)
    assert [p.number for p in found] == [str(n) for n in range(1, 31)]
    assert found[-1].label == label
    assert passages[0].kind == "preamble"
    assert all(p.language == lang for p in passages)


def test_pdf_pages_are_tracked_across_page_breaks(tmp_path):
    # (no blank lines: pdfminer reorders fpdf2's blank cells, an extraction matter)
    pdf = make_pdf(tmp_path / "law.pdf", [
        "Закон о трудовой миграции\nСтатья 1. Общие положения\nПервая статья начинается здесь",
        "и продолжается на второй странице.\nСтатья 2. Патент\nТекст второй статьи.",
        "Статья 3. Срок\nТекст третьей статьи.\n3",
    ])
    passages = split_passages(extract(pdf).pages, doc_type="law", language="ru")
    by_label = {p.label: p for p in passages}
    assert by_label["Статья 1"].pages == [1, 2]
    assert "продолжается на второй странице" in by_label["Статья 1"].text
    assert by_label["Статья 2"].pages == [2]
    assert by_label["Статья 3"].pages == [3]


@needs_corpus
def test_real_pdf_code_first_pages():
    extracted = extract(CORPUS / "pdf/kg-grazhdanskii-kodeks-ch1.pdf", max_pages=6)
    passages = articles(split_passages(extracted.pages, doc_type="code", language="ru"))
    by_number = {p.number: p for p in passages}
    assert by_number["1"].pages[0] == 2
    assert by_number["1"].heading == "Отношения, регулируемые гражданским законодательством"
    assert by_number["1"].path[-2:] == ["Глава 1. Регулирование гражданско-правовых отношений", "Статья 1"]
    assert by_number["10"].pages == [6]


def test_long_unstructured_text_is_cut_into_chunks_at_paragraphs():
    paragraph = "Трудовые мигранты из Кыргызстана работают в России и Казахстане. " * 10
    text = "\n\n".join(f"{n}. {paragraph}" for n in range(150))
    passages = split_passages([Page(1, text)], doc_type="report", language="ru")
    assert len(passages) > 20
    assert passages[0].kind == "page" and all(p.kind == "page-chunk" for p in passages[1:])
    assert all(p.label == "p. 1" for p in passages)
    assert all(len(p.text) <= 5000 for p in passages)
    assert all(p.text.endswith("Казахстане.") for p in passages)  # cut between paragraphs
    assert sum(len(p.text) for p in passages) > len(text) * 0.99


def test_report_pages_become_passages_and_lone_page_numbers_are_dropped():
    pages = [Page(1, "Annual report on labour migration\nRemittances grew in 2023."),
             Page(2, "  17  "),
             Page(3, "Recruitment fees remain high for workers.")]
    passages = split_passages(pages, doc_type="report", language="en")
    assert [(p.label, p.pages) for p in passages] == [("p. 1", [1]), ("p. 3", [3])]


def test_markdown_report_is_split_by_its_headings():
    text = "# Survey of migrants\nIntro text here.\n\n## Methods\nWe asked people.\n\n## Results\nThey answered."
    passages = split_passages([Page(1, text)], doc_type="report", language="en")
    assert [p.label for p in passages] == ["Survey of migrants", "Methods", "Results"]
    assert passages[2].text == "Results\nThey answered."


def test_bad_input_gives_clear_errors_or_nothing():
    assert split_passages([]) == []
    assert split_passages([Page(1, "   \n ")]) == []
    with pytest.raises(TypeError, match="list of Page"):
        split_passages(["Статья 1. Текст"])  # type: ignore[list-item]


def test_flattened_superscripts_are_read_back():
    # Kyrgyz exports lost superscripts: "Статья 341" between 34 and 35 is article 34¹
    text = "".join(f"Статья {n}. Заголовок\nТекст статьи.\n\n" for n in ("33", "34", "341", "342", "35"))
    numbers = [p.number for p in articles(split_passages([Page(1, text)], doc_type="code"))]
    assert numbers == ["33", "34", "34.1", "34.2", "35"]
    real = "".join(f"Статья {n}. Заголовок\nТекст статьи.\n\n" for n in (339, 340, 341, 342))
    assert [p.number for p in articles(split_passages([Page(1, real)]))] == ["339", "340", "341", "342"]


def test_kyrgyz_numbering_puts_the_number_first():
    text = ("1-бөлүм. Жалпы жоболор\n\n1-глава. Негизги түшүнүктөр\n\n"
            "1-берене. Ушул Мыйзамдын максаты\nУшул Мыйзам эмгек мигранттарынын укуктарын коргойт.\n\n"
            "2-берене. Негизги түшүнүктөр\nУшул Мыйзамда төмөнкү түшүнүктөр колдонулат.\n\n"
            "3-берене\nЭмгек мигранты - башка мамлекетте иштеген адам.\n")
    passages = articles(split_passages([Page(1, text)], language="ky"))
    assert [p.label for p in passages] == ["1-берене", "2-берене", "3-берене"]
    assert passages[0].path == ["1-бөлүм. Жалпы жоболор", "1-глава. Негизги түшүнүктөр", "1-берене"]
    assert passages[0].heading == "Ушул Мыйзамдын максаты"
    assert passages[2].heading == ""  # the next line is the article's text, not its title
    assert all(p.language == "ky" for p in passages)


def test_english_parts_chapters_sections_and_articles():
    text = ("LABOUR MIGRATION ACT\n\nPART I\nGENERAL\n\nChapter 1 Definitions\n\n"
            "Article 1. Scope\nThis Act applies to migrant workers.\n\n"
            "Section 2 Terms\nArticle 2\nIn this Act, worker means a person.\n\n"
            "PART II\nRIGHTS\n\nArticle 3. Equal treatment\nMigrant workers are treated equally.\n")
    passages = articles(split_passages([Page(1, text)], language="en"))
    assert [p.path for p in passages] == [
        ["Part I. GENERAL", "Chapter 1. Definitions", "Article 1"],
        ["Part I. GENERAL", "Chapter 1. Definitions", "Section 2. Terms", "Article 2"],
        ["Part II. RIGHTS", "Article 3"],
    ]


def test_ordinal_words_and_cyrillic_roman_numerals():
    text = ("РАЗДЕЛ ПЕРВЫЙ\n\nГлава четырнадцатая\nОбщие положения\n\nСтатья 1. Цели\nТекст первой статьи.\n\n"
            "ГЛАВА ХХIV. ВОЗДУШНЫЕ ПЕРЕВОЗКИ\n\nСтатья 2. Перевозчик\nТекст второй статьи.\n")
    passages = articles(split_passages([Page(1, text)], doc_type="code"))
    assert passages[0].path == ["Раздел 1", "Глава 14. Общие положения", "Статья 1"]
    assert passages[1].path == ["Раздел 1", "Глава XXIV. ВОЗДУШНЫЕ ПЕРЕВОЗКИ", "Статья 2"]


def test_contents_list_of_chapters_is_not_the_structure():
    # as in the Kyrgyz civil code, part II: a list of chapters and paragraphs, then the text
    listed = "ЧАСТЬ II.\nРАЗДЕЛ IV.\n" + "".join(
        f"Глава {n}. Название главы {n}\nПараграф 1. Общие положения\n" for n in range(23, 28))
    real = "ЧАСТЬ II\nРАЗДЕЛ IV\nОТДЕЛЬНЫЕ ВИДЫ ОБЯЗАТЕЛЬСТВ\n" + "".join(
        f"Глава {n}\nНазвание главы {n}\nПараграф 1\nОбщие положения\n\n"
        f"Статья {400 + n}. Статья главы {n}\nТекст статьи главы {n}.\n\n" for n in range(23, 28))
    passages = split_passages([Page(1, "КОДЕКС\n" + listed + "\n" + real)], doc_type="code")
    assert [p.kind for p in passages].count("contents") == 1
    found = articles(passages)
    assert [p.number for p in found] == [str(400 + n) for n in range(23, 28)]
    assert found[0].path == ["Часть II", "Раздел IV. ОТДЕЛЬНЫЕ ВИДЫ ОБЯЗАТЕЛЬСТВ", "Глава 23. Название главы 23",
                             "Параграф 1. Общие положения", "Статья 423"]
    assert "Глава 27. Название главы 27" in next(p for p in passages if p.kind == "contents").text
