"""paint: the layout result → PDF (ReportLab) or text (the debug dump)."""
