"""Multilingual word lists the offline analysis matches against (data, kept apart from the logic)."""

from __future__ import annotations

__all__ = [
    "ASPECT_WORDS",
    "MEDIA_WORDS",
    "NEGATION_PREFIXES",
    "NEGATION_SUFFIXES",
    "PROGRAMMING_LANGUAGES",
    "REFERENCE_WORDS",
]

# Words that start a negated phrase ("no text", "ohne Zucker", "sin jerga"), per language.
NEGATION_PREFIXES = (
    "no", "without", "not", "don't", "do not", "never", "avoid", "exclude", "excluding",
    "kein", "keine", "keinen", "keiner", "ohne", "nicht", "niemals", "vermeide",
    "sin", "nunca", "evita", "evite", "sans", "pas de", "jamais", "évite", "évitez",
    "sem", "não", "senza", "non", "mai",
    "без", "не", "никогда", "избегай",
    "不要", "不带", "没有", "别", "無", "无",
)
# Languages that negate after the noun (Japanese "文字なし" = "no text").
NEGATION_SUFFIXES = ("なし", "無し", "は不要", "を入れないで", "を使わないで")

# Words that fix an image's aspect ratio. Bare "landscape"/"portrait" are left out: they name subjects too.
ASPECT_WORDS: dict[str, str] = {
    "widescreen": "16:9", "panoramic": "16:9", "landscape format": "16:9", "horizontal": "16:9",
    "vertical": "9:16", "portrait format": "9:16", "phone wallpaper": "9:16", "story": "9:16",
    "square": "1:1", "ultrawide": "21:9", "cinemascope": "21:9",
    "querformat": "16:9", "hochformat": "9:16", "quadratisch": "1:1",
    "panorámica": "16:9", "cuadrada": "1:1", "cuadrado": "1:1",
    "format paysage": "16:9", "format portrait": "9:16", "carré": "1:1", "carrée": "1:1", "verticale": "9:16",
    "quadrada": "1:1", "quadrado": "1:1", "quadrata": "1:1", "quadrato": "1:1",
    "квадрат": "1:1", "вертикальн": "9:16", "горизонтальн": "16:9", "широкоформат": "16:9",
    "竖屏": "9:16", "竖版": "9:16", "横屏": "16:9", "横版": "16:9", "宽屏": "16:9", "正方形": "1:1",
    "縦長": "9:16", "横長": "16:9",
}

# What a multimodal prompt may be about, as the user writes it.
MEDIA_WORDS = (
    "screenshot", "screen shot", "chart", "graph", "diagram", "plot", "photo", "picture", "image", "scan",
    "document", "pdf", "page", "invoice", "receipt", "table", "slide", "video", "audio", "recording", "x-ray",
    "map", "handwriting", "whiteboard", "mockup", "form", "figure",
    "bildschirmfoto", "diagramm", "foto", "bild", "dokument", "rechnung", "tabelle", "folie", "grafik",
    "captura de pantalla", "captura de tela", "captura", "gráfico", "diagrama", "imagen", "documento",
    "factura", "tabla", "capture d'écran", "graphique", "diagramme", "facture", "tableau",
    "imagem", "nota fiscal", "tabela", "grafico", "diagramma", "immagine", "fattura", "tabella",
    "скриншот", "график", "диаграмм", "фото", "изображени", "документ", "счёт", "таблиц",
    "截图", "图表", "图片", "照片", "文档", "发票", "表格",
    "スクリーンショット", "グラフ", "写真", "画像", "書類", "請求書", "図",
)

# Canonical name -> how users write it. "go" alone is an English verb, so only unambiguous forms count.
PROGRAMMING_LANGUAGES: dict[str, tuple[str, ...]] = {
    "Python": ("python", "py"), "JavaScript": ("javascript", "js", "node.js", "nodejs"),
    "TypeScript": ("typescript", "ts"), "Java": ("java",), "C#": ("c#", "csharp"), "C++": ("c++", "cpp"),
    "Go": ("golang",), "Rust": ("rust",), "Ruby": ("ruby",), "PHP": ("php",), "Kotlin": ("kotlin",),
    "Swift": ("swift",), "Bash": ("bash", "shell script", "zsh"), "PowerShell": ("powershell",),
    "SQL": ("sql", "postgres", "postgresql", "mysql", "sqlite"), "HTML": ("html",), "CSS": ("css",),
    "Scala": ("scala",), "Haskell": ("haskell",), "Lua": ("lua",), "Perl": ("perl",), "Dart": ("dart",),
    "Elixir": ("elixir",), "Julia": ("julia",), "R": ("in r", "r script"),
}

# Words that point at something the prompt does not contain ("fix this", "erkläre das").
REFERENCE_WORDS = (
    "this", "that", "it", "these", "those",
    "das", "dies", "diese", "dieses",
    "esto", "eso", "este", "esta", "ceci", "cela", "ça",
    "isto", "isso", "questo", "questa", "ciò",
    "это", "этот", "эту",
)
