"""Kaohe (考核): assessment schemes written in YAML, evaluated column-wise.

The pipeline, one module per stage::

    loader.load_scheme     YAML text → RawScheme (with line/column of every node)
    validate / compiler    RawScheme → Scheme (all problems located) 
    data.read_dataset      CSV/XLSX → Dataset (typed numpy columns)
    evaluate.evaluate      Scheme + Dataset → Results (scores, vetoes, traces)
    grade.decide           Results → Outcomes (grades, eligibility, ranks)
    render                 Outcomes → JSON / CSV / Markdown / explain text
"""

__version__ = "0.1.0"
