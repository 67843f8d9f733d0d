/// The opening of a self-contained report page: doctype, title and the shared style (tables,
/// notes, rows of plots), plus `extraStyle` rules; ends with `<body>`.
public func htmlPageHead(title: String, maxWidth: Int = 1100, extraStyle: String = "") -> String {
  """
  <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
  <style>body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:\(maxWidth)px;margin:2em auto;padding:0 1em;color:#222}
  table{border-collapse:collapse;font-size:.9em;margin-bottom:1.2em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}th{background:#f3f3f3}
  td:first-child,th:first-child{text-align:left}.note{color:#555;font-size:.9em}.plots{display:flex;flex-wrap:wrap;gap:12px}
  .better{color:#1a7f37;font-weight:600}.worse{color:#b42318;font-weight:600}.warn{color:#b42318}\(extraStyle)</style></head><body>

  """
}
