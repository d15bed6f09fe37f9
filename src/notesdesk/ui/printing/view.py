"""Show, print and export a finished PDF held in memory: never a plaintext temp file.

The preview loads the bytes through a QBuffer into QPdfDocument (PDFium) and shows them in a QPdfView.
Printing renders each page at about 300 dpi and lets QPainter scale it onto the printer: rendering at a
HighResolution printer's own 1200 dpi would take about 500 MB per page (docs/design-notes.md §6).
Exporting (printing_export) writes the bytes with write_atomic (mode 0600) to a path the user picks,
optionally protected with a password.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.errors import NotesdeskError
from notesdesk.ui.printing.export import ExportChoice, ask_export_choice, export_pdf
from notesdesk.ui.widgets.labels import Notice

PRINT_DPI = 300
POINTS_PER_INCH = 72
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0
PREVIEW_WIDTH, PREVIEW_HEIGHT = 860, 1000  # pixels, at most


class PdfInMemory:
    """A QPdfDocument read from bytes through a QBuffer; `close()` drops the document and the buffer."""

    def __init__(self, pdf_bytes: bytes, parent: QWidget | None = None) -> None:
        self._data = QByteArray(pdf_bytes)
        self._buffer = QBuffer(parent)
        self._buffer.setData(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent) if parent is not None else QPdfDocument()
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            self.close()
            raise NotesdeskError("The document could not be shown; nothing was printed or saved.")

    def close(self) -> None:
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray())
        self._data.clear()


# -- printing --------------------------------------------------------------------------------------


def _page_size(document: QPdfDocument) -> QPageSize:
    points = document.pagePointSize(0)
    size = QSizeF(points.width(), points.height())
    return QPageSize(size, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)


def choose_printer(
    document: QPdfDocument, parent: QWidget | None, job_name: str = "NotesDesk document"
) -> QPrinter | None:
    """Ask with QPrintDialog; the paper starts as the document's own (A4 or Letter). The job's name,
    shown in the system's print queue, is generic: never the client's name."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job_name)
    printer.setPageSize(_page_size(document))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    dialog = QPrintDialog(printer, parent)
    dialog.setMinMax(1, document.pageCount())
    dialog.setWindowTitle("Print")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def _pages(printer: QPrinter, count: int) -> range:
    first, last = printer.fromPage(), printer.toPage()
    if first < 1 or last < 1:  # 0, 0: the whole document
        return range(count)
    return range(max(first, 1) - 1, min(last, count))


def on_white(image: QImage) -> QImage:
    """PDFium renders onto transparency; printers (and PDF printers) want an opaque page."""
    page = QImage(image.size(), QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, image)
    painter.end()
    return page


def paint_pages(document: QPdfDocument, printer: QPrinter) -> int:
    """Render the pages onto `printer`, each fitted to the paper; returns the number of pages printed."""
    printer.setFullPage(True)  # the PDF carries its own margins: map page to paper one to one
    pages = _pages(printer, document.pageCount())
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    painter = QPainter()
    if not painter.begin(printer):
        raise NotesdeskError("The printer could not be started; nothing was printed.")
    printed = 0
    try:
        for _copy in range(copies):
            for index in pages:
                if printed:
                    printer.newPage()
                points = document.pagePointSize(index)
                scale = PRINT_DPI / POINTS_PER_INCH  # ~300 dpi, whatever the printer's resolution
                pixels = QSize(round(points.width() * scale), round(points.height() * scale))
                image = on_white(document.render(index, pixels))
                paper = printer.paperRect(QPrinter.Unit.DevicePixel)
                fit = min(paper.width() / points.width(), paper.height() / points.height())
                width, height = points.width() * fit, points.height() * fit
                target = QRectF((paper.width() - width) / 2, (paper.height() - height) / 2, width, height)
                painter.drawImage(target, image)
                printed += 1
    finally:
        painter.end()
    return printed


def print_pdf(pdf_bytes: bytes, parent: QWidget | None = None, printer: QPrinter | None = None) -> bool:
    """Print through QPrintDialog (or onto the `printer` given, with no dialog); False if cancelled."""
    pdf = PdfInMemory(pdf_bytes, parent)
    try:
        chosen = printer or choose_printer(pdf.document, parent)
        if chosen is None:
            return False
        return paint_pages(pdf.document, chosen) > 0
    finally:
        pdf.close()


# -- the preview -----------------------------------------------------------------------------------


class PdfPreviewDialog(QDialog):
    """A read-only view of a PDF held in memory, with page navigation, zoom, Print… and Export PDF….

    `printed` and `exported` fire after the work is done, so the caller can log it in the audit.
    """

    sig_printed = Signal()
    sig_exported = Signal(str, bool)
    """The PDF was written; args: its path, and whether it was password-protected."""

    def __init__(
        self,
        pdf_bytes: bytes,
        title: str,
        parent: QWidget | None = None,
        suggested_name: str = "document.pdf",
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.setWindowTitle(f"{title} — preview")  # generic: the callers' titles never name a client
        self.setModal(False)
        self.suggested_name = suggested_name
        self.ask_choice: Callable[[QWidget | None], ExportChoice | None] = ask_export_choice
        self._bytes: bytes = pdf_bytes
        self._on_error = on_error
        # What an export must never write over; set by the caller that knows the vault.
        self.vault_path: Path | None = None
        self.backup_dirs: list[Path | None] = []
        self._pdf = PdfInMemory(pdf_bytes, self)
        self.view = QPdfView(self)
        single = self._pdf.document.pageCount() == 1  # one page: no scroll bar around a whole page
        self.view.setPageMode(QPdfView.PageMode.SinglePage if single else QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self._pdf.document)
        self._build()
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)
        self.finished.connect(self._release)
        self._fit_to_screen(parent)

    def _fit_to_screen(self, parent: QWidget | None) -> None:
        """About a page's width, most of the screen's height: never larger than the screen."""
        screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
        width = min(PREVIEW_WIDTH, area.width() * 9 // 10)
        height = min(PREVIEW_HEIGHT, area.height() * 9 // 10)
        self.resize(max(width, self.minimumSizeHint().width()), height)

    def _build(self) -> None:
        self.previous_button = QPushButton("◀ Previous", self)
        self.next_button = QPushButton("Next ▶", self)
        self.page_box = QSpinBox(self)
        self.page_box.setRange(1, self.page_count())
        self.page_box.setAccessibleName("Page")
        self.pages_label = QLabel(f"of {self.page_count()}", self)
        self.zoom_out_button = QPushButton("−", self)
        self.zoom_in_button = QPushButton("+", self)
        self.zoom_label = QLabel(self)
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400%") + 4)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.fit_button = QPushButton("Fit width", self)
        self.page_button = QPushButton("Whole page", self)
        for button in (self.fit_button, self.page_button):
            button.setCheckable(True)
            button.setAutoExclusive(False)
        for button, name in ((self.zoom_out_button, "Zoom out"), (self.zoom_in_button, "Zoom in")):
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.setMaximumWidth(button.fontMetrics().horizontalAdvance("M") * 4)
        self.print_button = QPushButton("Print…", self)
        self.export_button = QPushButton("Export PDF…", self)
        self.close_button = QPushButton("Close", self)
        # After an export: where it went, and a way to that folder.
        self.saved = Notice(self)
        self.open_folder_button = QPushButton("Open &folder", self)
        self.open_folder_button.setAccessibleName("Open the folder the PDF was saved in")
        self.open_folder_button.hide()
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl  # replaced in tests
        self._saved_in: Path | None = None
        bar = QHBoxLayout()
        for widget in (
            self.previous_button,
            self.next_button,
            QLabel("Page", self),
            self.page_box,
            self.pages_label,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.zoom_label, self.zoom_out_button, self.zoom_in_button):
            bar.addWidget(widget)
        bar.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        for widget in (self.fit_button, self.page_button):
            bar.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved, 1)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(0)
        for widget in (self.print_button, self.export_button, self.close_button):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.previous_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page_box.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.fit_button.clicked.connect(lambda: self.set_zoom_mode(QPdfView.ZoomMode.FitToWidth))
        self.page_button.clicked.connect(lambda: self.set_zoom_mode(QPdfView.ZoomMode.FitInView))
        self.print_button.clicked.connect(lambda: self.print_document())
        self.export_button.clicked.connect(lambda: self.export_document())
        self.close_button.clicked.connect(self.reject)
        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.print_button.click),
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in_button.click),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out_button.click),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self._page_shown(0)
        self.set_zoom_mode(QPdfView.ZoomMode.FitToWidth)
        self.view.viewport().installEventFilter(self)

    # -- navigation and zoom -----------------------------------------------------------------------

    def page_count(self) -> int:
        return self._pdf.document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        page = max(0, min(page, self.page_count() - 1))
        if page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
        self._page_shown(page)

    def zoom(self) -> float:
        """The zoom on screen. In the fit modes QPdfView keeps zoomFactor() at its last custom value
        and fits the page itself, so the fitted factor is worked out here as QPdfView does."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom:
            return float(self.view.zoomFactor())
        page = self._pdf.document.pagePointSize(max(self.current_page(), 0))
        if page.width() <= 0 or page.height() <= 0:
            return float(self.view.zoomFactor())
        per_point = self.view.logicalDpiX() / POINTS_PER_INCH
        margins, viewport = self.view.documentMargins(), self.view.viewport().size()
        width = (viewport.width() - margins.left() - margins.right()) / (page.width() * per_point)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return width
        height = (viewport.height() - margins.top() - margins.bottom()) / (page.height() * per_point)
        return min(width, height)

    def zoom_by(self, factor: float) -> None:
        """Zoom in or out from what is on screen (a fitted page included)."""
        zoom = max(ZOOM_MIN, min(ZOOM_MAX, self.zoom() * factor))
        self.set_zoom_mode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)
        self._zoom_shown()

    def set_zoom_mode(self, mode: QPdfView.ZoomMode) -> None:
        # A single whole page needs no scroll bar (QPdfView keeps one a few pixels long).
        whole = mode == QPdfView.ZoomMode.FitInView and self.page_count() == 1
        policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOff if whole else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        self.view.setVerticalScrollBarPolicy(policy)
        self.view.setZoomMode(mode)
        self._zoom_shown()

    def _zoom_shown(self) -> None:
        mode = self.view.zoomMode()
        self.fit_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_label.setText(f"{round(self.zoom() * 100)}%")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._zoom_shown()  # a fitted page changes size with the window
        return super().eventFilter(watched, event)

    def _page_shown(self, page: int) -> None:
        if self.page_box.value() != page + 1:
            self.page_box.blockSignals(True)
            self.page_box.setValue(page + 1)
            self.page_box.blockSignals(False)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < self.page_count() - 1)

    # -- print and export --------------------------------------------------------------------------

    def print_document(self, printer: QPrinter | None = None) -> bool:
        try:
            chosen = printer or choose_printer(self._pdf.document, self, self.title)
            done = chosen is not None and paint_pages(self._pdf.document, chosen) > 0
        except Exception as exc:  # shown to the user as one line, never a traceback
            self._failed(exc)
            return False
        if done:
            self.sig_printed.emit()
        return done

    def export_document(self, path: Path | None = None, choice: ExportChoice | None = None) -> Path | None:
        """Ask about a password (unless `choice` is given), then where to save (unless `path` is)."""
        if choice is None:
            choice = self.ask_choice(self)
            if choice is None:
                return None
        try:
            written = export_pdf(self._bytes, self, self.suggested_name, path, choice.password,
                                 self.vault_path, self.backup_dirs)
        except Exception as exc:
            self._failed(exc)
            return None
        if written is not None:
            self.sig_exported.emit(str(written), choice.password is not None)
            self._say_saved(Path(written), choice.password is not None)
        return written

    def _say_saved(self, path: Path, protected: bool) -> None:
        path = path.absolute()
        self._saved_in = path.parent
        lock = ", password-protected" if protected else ""
        self.saved.show_message(f"Saved{lock} as “{path.name}” in {path.parent}")
        self.open_folder_button.show()

    def open_folder(self) -> None:
        if self._saved_in is not None:
            self.open_url(QUrl.fromLocalFile(str(self._saved_in)))

    def _failed(self, exc: BaseException) -> None:
        if self._on_error is None:
            raise exc
        self._on_error(exc)

    def _release(self) -> None:
        """Closing drops the document and the bytes held for export."""
        self.view.viewport().removeEventFilter(self)
        # Closing the document empties it (and the view). setDocument(None) would do no more, and
        # makes QPdfView warn about connecting its link model to a null document.
        self._pdf.close()
        self._bytes = b""
