"""Show an image held in memory (an attached PNG or JPEG), scaled to the window: never a temp file.

The bytes are decoded by QImage straight from memory; Export a copy… writes them (mode 0600) where
the user chooses, through the same output checks as every other export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from notesdesk.core.errors import NotesdeskError

VIEW_WIDTH, VIEW_HEIGHT = 860, 900  # pixels, at most


class ImageViewerDialog(QDialog):
    """A read-only view of an image: fitted to the window, or at its own size (scrolling)."""

    sig_export_requested = Signal()
    """The user asked for a copy of the file (the caller knows where the bytes come from)."""

    def __init__(self, image_bytes: bytes, title: str, parent: QWidget | None = None,
                 on_error: Callable[[BaseException], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — view")  # generic: the callers' titles never name a client
        self.setModal(False)
        self._on_error = on_error
        self.image = QImage()
        if not self.image.loadFromData(image_bytes) or self.image.isNull():
            raise NotesdeskError("This image could not be shown: its file is damaged or not an image.")
        self.picture = QLabel(self)
        self.picture.setAccessibleName("Image")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area = QScrollArea(self)
        self.area.setWidget(self.picture)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_button = QPushButton("Fit to window", self)
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.size_label = QLabel(f"{self.image.width()} × {self.image.height()} pixels", self)
        self.export_button = QPushButton("Export a copy…", self)
        close = QPushButton("Close", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.size_label)
        buttons.addStretch(1)
        for widget in (self.fit_button, self.export_button, close):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.area, 1)
        layout.addLayout(buttons)
        self.fit_button.toggled.connect(lambda _on: self._scale())
        self.export_button.clicked.connect(self.sig_export_requested)
        close.clicked.connect(self.reject)
        self.finished.connect(self._release)
        self.resize(min(VIEW_WIDTH, self.image.width() + 40), min(VIEW_HEIGHT, self.image.height() + 80))
        self._scale()

    @property
    def fitted(self) -> bool:
        return self.fit_button.isChecked()

    def shown_size(self) -> QSize:
        return self.picture.pixmap().size()

    def _scale(self) -> None:
        pixmap = QPixmap.fromImage(self.image)
        if self.fitted:
            room = self.area.viewport().size()
            if pixmap.width() > room.width() or pixmap.height() > room.height():
                pixmap = pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(pixmap)
        self.picture.resize(pixmap.size())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        if self.fitted:
            self._scale()

    def _release(self) -> None:
        """Closing drops the decoded image."""
        self.picture.clear()
        self.image = QImage()


def image_suffix(media_type: str) -> str:
    return {"image/png": ".png", "image/jpeg": ".jpg"}.get(media_type, ".pdf")


def suggested_path(folder: Path, media_type: str) -> Path:
    """A neutral name for a copy (the save dialog may remember it; never the client's name)."""
    return folder / f"attachment{image_suffix(media_type)}"
