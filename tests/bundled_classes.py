"""Every class-year bundled in ``xl_reit/data``, as ``REIT_CLASSES()`` lists it, typed by hand.

Each row is what its release prints: the CUSIP (or the one given where it prints
none or misprints it, as ``tests/test_importer_corpus.py`` gives it), the class's
heading, the issuer, the ticker of its listing (the CUSIP where the release
prints no ticker) and the tax year. In the table's order: the files by name,
each file's classes in the order its release prints them.
"""

from __future__ import annotations

from release_2004 import CLASSES as AIMCO_2004

AIMCO = "Apartment Investment and Management Company"
STAG = ["85254J102", "Common Stock", "STAG Industrial, Inc.", "STAG"]
WPC = ["92936U109", "Common Stock", "W. P. Carey Inc.", "WPC"]

#: [CUSIP, class, issuer, symbol, tax year], one row per class-year.
BUNDLED_CLASSES: list[list[str | int]] = [
    # Aimco's 2004 release: eight classes; its 2013 release: the common ("NYSE: AIV and
    # AIVPrZ"; the Class Z table is not in the copy).
    *([cusip.replace("-", ""), name, AIMCO, symbol, 2004] for symbol, cusip, name in AIMCO_2004),
    ["03748R101", "Class A Common Stock", AIMCO, "AIV", 2013],
    # Developers Diversified 2009: headed "Common Shares (NYSE:DDR)", one cell a line ending
    # " |" (the listing is its symbol, the "|" a cell's end); the issuer as its headline names it.
    ["251591103", "Common Shares", "Developers Diversified", "DDR", 2009],
    # Digital Realty 2010: "CUSIP # 253868103", "Ticker Symbol: DLR".
    ["253868103", "Common Stock", "Digital Realty Trust, Inc.", "DLR", 2010],
    # EPR's 2013 release names its class only in the sentence over the table ("… of
    # $3.646400 per Common Share (CUSIP …)").
    ["26884U109", "Common Shares", "EPR Properties", "EPR", 2013],
    # Equity Residential 2023 (NYSE: EQR): no CUSIPs printed; Series K's ticker not printed.
    ["29476L107", "Common Shares", "Equity Residential", "EQR", 2023],
    ["29476L883", "Preferred Shares Series K", "Equity Residential", "29476L883", 2023],
    # HASI 2023 (NYSE: HASI, CUSIP #41068X100); its first row's parts exceed its dividend.
    [
        "41068X100",
        "Common Stock",
        "Hannon Armstrong Sustainable Infrastructure Capital, Inc.",
        "HASI",
        2023,
    ],
    # KKR Real Estate Finance Trust's 2023 page: no CUSIP, no ticker, no issuer printed.
    ["48251K100", "Common Stock", "KKR Real Estate Finance Trust Inc.", "48251K100", 2023],
    # Link Parks' 2023 page: CUSIP "69360J 55 2", no ticker.
    ["69360J552", "Series Z - Preferred Stock", "Link Parks, Inc.", "69360J552", 2023],
    ["58463J304", "Common Stock", "Medical Properties Trust, Inc.", "MPW", 2022],
    # Realty Income's 2023 release, with Spirit Realty's two classes.
    ["756109104", "Common Stock", "Realty Income Corporation", "O", 2023],
    ["84860W300", "Common Stock", "Spirit Realty Capital, Inc.", "SRC", 2023],
    [
        "84860W201",
        "6.00% Series A Cumulative Redeemable Preferred Stock",
        "Spirit Realty Capital, Inc.",
        "SRC-PA",
        2023,
    ],
    ["76169C100", "Common Stock", "Rexford Industrial Realty, Inc.", "REXR", 2025],
    # RPT's 2019 release heads its table "Common Shares (NYSE: RPT)": the listing is its symbol.
    ["74971D101", "Common Shares", "RPT Realty", "RPT", 2019],
    ["828806109", "Common Stock", "Simon Property Group, Inc.", "SPG", 2023],
    [*STAG, 2020],
    [*STAG, 2023],
    [*STAG, 2024],
    # UMH 2017 (NYSE: UMH): payment dates only; the Series A preferred's ticker not printed.
    ["903002103", "Common", "UMH Properties, Inc.", "UMH", 2017],
    [
        "903002202",
        "8.25% Series A Cumulative Redeemable Preferred",
        "UMH Properties, Inc.",
        "903002202",
        2017,
    ],
    ["966084204", "Common Shares", "Whitestone REIT", "WSR", 2021],
    [*WPC, 2023],
    [*WPC, 2024],
]
