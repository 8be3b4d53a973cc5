"""A streamed XLSX workbook of one sheet, for list exports of many rows.

``xlsxwriter`` (Odoo's XLSX export) spends some 16 µs of Python on each cell of this machine
kind: its type dispatch, its formula and URL checks, the XML of every cell built attribute by
attribute, a write to its temporary file per cell. A list export of 100,000 tickets with the
list's 20 columns is two million cells. This writer renders a whole row in one string, with
the cell types known from the Python values, and deflates the sheet into the file as the rows
come: the memory of a buffer of rows, not of the sheet.

The workbook holds what Odoo's export writes: a bold header row, columns 30 characters wide,
wrapped text, dates and date-times with Odoo's number formats, numbers with two decimals (or the
currencies' decimals for monetary fields). Every text is written as text (an inline string,
never a formula or a link), so a cell cannot be read as a formula by the program that opens it.
"""

import contextlib
import datetime
import math
import numbers
import re
import zipfile

XLSX_ROW_MAX = 1048576  # rows of a sheet (Excel 2007 and later)
XLSX_STR_MAX = 32767  # characters of a cell
WIDTH = 30.7109375  # 30 characters, in Excel's unit (the width xlsxwriter gives ``set_column(.., 30)``)
EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system, after March 1900)
FLUSH_ROWS = 500  # rows rendered before they are deflated into the file

# styles (``cellXfs`` indexes)
HEADER, TEXT, DATE, DATETIME, FLOAT, MONETARY = 1, 2, 3, 4, 5, 6

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{NS_R}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    HEAD + f'<workbook xmlns="{NS}" xmlns:r="{NS_R}"><bookViews><workbookView/></bookViews>'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{NS_R}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{NS_R}/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def styles_xml(monetary_format):
    """The styles of ``HEADER``, ``TEXT``, ... in this order (default first), as Odoo's export has them."""
    xf = '<xf numFmtId="{}" fontId="{}" fillId="0" borderId="0" xfId="0"{}'
    wrapped = ' applyNumberFormat="1" applyAlignment="1"><alignment wrapText="1"/></xf>'
    cell_xfs = [
        xf.format(0, 0, "/>"),  # default
        xf.format(0, 1, ' applyFont="1"/>'),  # HEADER: bold
        xf.format(0, 0, wrapped),  # TEXT
        xf.format(164, 0, wrapped),  # DATE
        xf.format(165, 0, wrapped),  # DATETIME
        xf.format(4, 0, wrapped),  # FLOAT: built-in #,##0.00
        xf.format(166, 0, wrapped),  # MONETARY
    ]
    return (
        f'{HEAD}<styleSheet xmlns="{NS}">'
        '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>'
        f'<numFmt numFmtId="166" formatCode="{monetary_format}"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(cell_xfs)}">{"".join(cell_xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


# what XML text may not hold as is: markup characters, control characters (written as Excel's
# ``_xHHHH_`` escapes, as xlsxwriter writes them), lone surrogates and non-characters
SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _escape_char(match):
    char = match.group()
    if char in ENTITIES:
        return ENTITIES[char]
    if "\ud800" <= char <= "\udfff" or char in "\ufffe\uffff":
        return "\ufffd"
    return f"_x{ord(char):04X}_"


def column_letters(count):
    letters = []
    for index in range(count):
        name, number = "", index + 1
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def excel_serial(value):
    """Days since Excel's epoch, with the time of day as a fraction."""
    if isinstance(value, datetime.datetime):
        delta = value.replace(tzinfo=None) - EPOCH
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return (value - EPOCH.date()).days


class StreamedSheet:
    """One sheet written row after row into an XLSX file (``output``, a binary file object).

    ``monetary`` are the indexes of the columns whose floats get the monetary number format;
    ``too_long`` is the text that replaces a value longer than a cell may hold.
    """

    def __init__(self, output, headers, row_count, monetary=(), monetary_format="#,##0.00", too_long=""):
        self.headers = list(headers)
        self.columns = max(1, len(headers))
        self.letters = column_letters(self.columns)
        self.monetary = frozenset(monetary)
        self.too_long = too_long
        self.files = contextlib.ExitStack()  # the sheet's stream, then the file: closed by ``close``
        self.zip = self.files.enter_context(
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        )
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", styles_xml(monetary_format)),
        ):
            self.zip.writestr(name, text)
        self.stream = self.files.enter_context(
            self.zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        )
        last = f"{self.letters[self.columns - 1]}{row_count + 1}"
        self.stream.write(
            (
                f'{HEAD}<worksheet xmlns="{NS}" xmlns:r="{NS_R}"><dimension ref="A1:{last}"/>'
                '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>'
                f'<cols><col min="1" max="{self.columns}" width="{WIDTH}" customWidth="1"/></cols><sheetData>'
            ).encode()
        )
        self.pending = []
        self.row = 0
        self.write_row([str(header) for header in headers], style=HEADER)

    def write_row(self, values, style=TEXT):
        """Append the next row (its cells in column order; ``None`` and ``""`` leave a cell empty)."""
        self.row += 1
        row = str(self.row)
        letters = self.letters
        cells = [f'<row r="{row}">']
        append = cells.append
        for column, value in enumerate(values):
            kind = type(value)
            if kind is str:
                text = value
            elif kind is int:
                append(f'<c r="{letters[column]}{row}" s="{style}"><v>{value}</v></c>')
                continue
            elif kind is float and math.isfinite(value):
                number_style = MONETARY if column in self.monetary else FLOAT
                append(f'<c r="{letters[column]}{row}" s="{number_style}"><v>{value!r}</v></c>')
                continue
            elif kind is bool:
                append(f'<c r="{letters[column]}{row}" s="{style}" t="b"><v>{int(value)}</v></c>')
                continue
            elif value is None:
                continue
            elif isinstance(value, datetime.datetime):
                append(f'<c r="{letters[column]}{row}" s="{DATETIME}"><v>{excel_serial(value)!r}</v></c>')
                continue
            elif isinstance(value, datetime.date):
                append(f'<c r="{letters[column]}{row}" s="{DATE}"><v>{excel_serial(value)}</v></c>')
                continue
            elif (
                isinstance(value, numbers.Number)
                and not isinstance(value, (bool, complex))
                and math.isfinite(value)
            ):
                # Decimal, Fraction, subclasses of int and float: numbers as xlsxwriter writes them
                number_style = (
                    MONETARY if column in self.monetary else (style if value == int(value) else FLOAT)
                )
                append(f'<c r="{letters[column]}{row}" s="{number_style}"><v>{float(value)!r}</v></c>')
                continue
            else:  # text of another type (markup, ...), a non-finite float, anything else
                text = self.text_of(value, column)
            if not text:
                continue
            if len(text) > XLSX_STR_MAX:
                text = self.too_long
            if "\r" in text:
                text = text.replace("\r", " ")
            if SPECIAL.search(text):
                text = SPECIAL.sub(_escape_char, text)
            if text[0].isspace() or text[-1].isspace():
                append(
                    f'<c r="{letters[column]}{row}" s="{style}" t="inlineStr"><is>'
                    f'<t xml:space="preserve">{text}</t></is></c>'
                )
            else:
                append(f'<c r="{letters[column]}{row}" s="{style}" t="inlineStr"><is><t>{text}</t></is></c>')
        append("</row>")
        self.pending.append("".join(cells))
        if len(self.pending) >= FLUSH_ROWS:
            self._flush()

    def text_of(self, value, column):
        """The text of a value of no other cell type."""
        return str(value)

    def _flush(self):
        self.stream.write("".join(self.pending).encode("utf-8"))
        self.pending = []

    def close(self):
        self._flush()
        self.stream.write(
            b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75"'
            b' header="0.3" footer="0.3"/></worksheet>'
        )
        self.files.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            self.close()
        else:  # the file is not finished: close what is open, the caller discards the output
            self.files.close()
