"""The tuner's fast paths give what the slow ones give: the reasons text of `rank`, the comparison metrics
(τ, ρ, WS, Jaccard) against `compare_rankings`, the tuned scheme's validation against a full `validate`, the
table and the charts drawn from the rows shown against the whole table (issue 15)."""

import ast
import dataclasses
import inspect
from datetime import date

import numpy as np
import pandas as pd
import pytest

from leaderkit import load_standards
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.app.widgets import ComparisonView, TunedValidation, Tuner, _rows_html
from leaderkit.methods.uncertainty import compare_rankings, spearman_rho
from leaderkit.ranking.common import LEVEL_CODES
from leaderkit.ranking.compare import compare_results, rank_agreement, table_positions
from leaderkit.ranking.result import _why, integer_texts, prepare, rank, two_decimals
from leaderkit.schemes import validation
from leaderkit.schemes.model import LEVEL_NAMES, LEVEL_ORDER, Scheme
from leaderkit.schemes.validation import validate

ON = date(2023, 12, 31)
SCHEMES = SAMPLE_DATA / "schemes"


@pytest.fixture(scope="module")
def data():
    return load_standards(SAMPLE_DATA / "standards.csv")


@pytest.fixture(scope="module")
def a():
    return Scheme.load(SCHEMES / "washing_machines_a.yaml")


@pytest.fixture(scope="module")
def b():
    return Scheme.load(SCHEMES / "washing_machines_b.yaml")


def variants(a):
    """Scheme A and changed copies that rank differently: weights, a threshold, ties (levels method,
    lexicographic: no scores), TOPSIS."""
    return [a, a.with_changes({"indicators.energy_use.weight": 0.9, "ranking.weights_unnormalised": True}),
            a.with_changes({"indicators.energy_use.levels.advanced": "≤ 0.019"}),
            a.with_changes({"ranking.method": "levels",
                            "ranking.level_points": {"leader": 3, "advanced": 2, "baseline": 1}}),
            a.with_changes({"ranking.method": "lexicographic"}), a.with_changes({"ranking.method": "topsis"})]


# ---- the reasons text ----------------------------------------------------------------------------------


def expected_why(r, core) -> tuple[list[str], list[str]]:
    """The reasons text written row by row from the table's own columns."""
    t = r.table
    zh, en = [], []
    for _, row in t.iterrows():
        if not row["eligible"]:
            zh.append(row["reasons_zh"])
            en.append(row["reasons_en"])
            continue
        pz, pe = "", ""
        for level in LEVEL_ORDER:
            hit = [ind for ind in core if row[f"level_{ind.id}"] == level]
            if hit:
                pz += f"；{LEVEL_NAMES[level].zh}：" + "、".join(i.name for i in hit)
                pe += f"; {LEVEL_NAMES[level].en}: " + ", ".join(i.id for i in hit)
        score = "" if pd.isna(row["score"]) else f"{row['score']:.2f}"
        zh.append(f"第 {row['rank']} 名" + (f"，得分 {score}" if score else "") + pz)
        en.append(f"rank {row['rank']}" + (f", score {score}" if score else "") + pe)
    return zh, en


def test_reasons_equal_the_row_by_row_text(a, data):
    for scheme in variants(a):
        r = rank(scheme, data, on=ON)
        zh, en = expected_why(r, scheme.core_indicators())
        assert r.table["why_zh"].tolist() == zh and r.table["why_en"].tolist() == en
        leaders = r.table[r.table["leader"]]
        assert r.leaders["why_zh"].tolist() == leaders["why_zh"].tolist()
        assert str(r.table["why_zh"].dtype) == str(r.table["reasons_zh"].dtype)


def test_reasons_without_arrow_strings_equal_those_with(a, data):
    """The object-dtype path (pandas without Arrow strings) writes the same texts."""
    scheme = a
    prep = prepare(scheme, data, on=ON)
    r = rank(scheme, prep)
    core = scheme.core_indicators()
    rows = r.rows[r.table["eligible"].to_numpy(dtype=bool)]
    levels = np.stack([r.table[f"level_{i.id}"].map(LEVEL_CODES).to_numpy() for i in core], axis=1)
    by_row = np.empty_like(levels)
    by_row[r.rows] = levels
    ranks = np.zeros(len(r.table), dtype=np.int64)
    ranks[r.rows] = r.table["rank"].fillna(0).to_numpy(dtype=np.int64)
    scores = np.full(len(r.table), np.nan)
    scores[r.rows] = r.table["score"].to_numpy()
    scores[rows[1]] = np.nan  # one row without a score
    arrow = _why(core, by_row, ranks, scores, rows, r.table["why_zh"].dtype)
    plain = _why(core, by_row, ranks, scores, rows, np.dtype(object))
    assert isinstance(plain[0], np.ndarray) and plain[0].dtype == object
    assert list(arrow[0]) == plain[0].tolist() and list(arrow[1]) == plain[1].tolist()
    assert plain[0][1].startswith(f"第 {ranks[rows[1]]} 名；") and "得分" not in plain[0][1]
    assert plain[0][0] == r.table["why_zh"].iloc[0] and "score" not in plain[1][1]
    assert list(_why(core, by_row, ranks, scores, rows[:0], r.table["why_zh"].dtype)[0]) == []


def test_number_texts_equal_python_formatting():
    """Scores as "71.25" and ranks as "3" from tables of texts: every text equals Python's, including the
    values where × 100 lands on a half, negative zero, 1,000 and more, and values that are not finite."""
    rng = np.random.default_rng(5)
    edges = [0.0, -0.0, -0.001, 0.005, 0.015, 0.125, 1.005, 2.675, 0.995, 99.995, -0.005, 999.99, 999.994,
             999.995, 999.996, -999.995, 1000.0, 12345.678, 1e300, np.inf, -np.inf, np.nan, 5e-324, -5e-324]
    values = np.concatenate([edges, rng.uniform(-120, 120, 20_000), rng.integers(-20_000, 20_000, 20_000) / 200,
                             rng.uniform(0, 1, 5_000) * 10 ** rng.uniform(-8, 8, 5_000)])
    assert two_decimals(values).to_pylist() == [f"{v:.2f}" for v in values.tolist()]
    assert two_decimals(np.zeros(0)).to_pylist() == []
    ints = np.concatenate([[0, 1, 2, 1023, 1024], rng.integers(0, 70_000, 5_000)])
    assert integer_texts(ints).to_pylist() == [str(k) for k in ints.tolist()]
    assert integer_texts(np.zeros(0, dtype=np.int64)).to_pylist() == []


def test_leaders_and_excluded_are_the_table_rows(a, data):
    """`leaders` and `excluded`, read from the table when first used, are its leader rows and its ineligible
    rows (with the reason codes of the eligibility check); the cached arrays cannot be changed."""
    import pickle

    for scheme in [*variants(a), a.with_changes({"ranking.levels.entry": "advanced"})]:
        r = rank(scheme, data, on=ON)
        t = r.table
        lead = t[t["leader"].to_numpy(dtype=bool)].reset_index(drop=True)
        cols = ["standard_id", "enterprise", "region", "rank", "score", *(["tier"] if "tier" in t.columns else []),
                *[f"level_{i.id}" for i in scheme.core_indicators()], "why_zh", "why_en"]
        pd.testing.assert_frame_equal(r.leaders, lead[cols], check_exact=True)
        out = t[~t["eligible"].to_numpy(dtype=bool)].reset_index(drop=True)
        assert list(r.excluded.columns) == ["standard_id", "enterprise", "region", "reasons", "reasons_zh",
                                            "reasons_en"]
        pd.testing.assert_frame_equal(r.excluded.drop(columns="reasons"),
                                      out[["standard_id", "enterprise", "region", "reasons_zh", "reasons_en"]])
        codes = prepare(scheme, data, on=ON).eligibility.set_index("standard_id")["reasons"]
        for sid, reasons in zip(r.excluded["standard_id"], r.excluded["reasons"], strict=True):
            assert set(codes[sid]) <= set(reasons) and reasons
        assert r.leader_ids == set(lead["standard_id"])
        np.testing.assert_array_equal(r.ranks, t["rank"].to_numpy(dtype=float, na_value=np.nan))
        with pytest.raises(ValueError):
            r.ranks[0] = 99
        with pytest.raises(ValueError):
            r.leader_rows[0] = not r.leader_rows[0]
        again = pickle.loads(pickle.dumps(r))
        pd.testing.assert_frame_equal(again.leaders, r.leaders)
        pd.testing.assert_frame_equal(again.excluded, r.excluded)


def test_rows_read_without_the_table_are_the_table_rows(a, data):
    """A ranking answers its ranks, leaders, counts, a few rows and the rows of given standards from the
    arrays its table is built from, without building the table; each answer is the table's."""
    from leaderkit.ranking.result import Listed

    def same_values(x, y):
        return len(x) == len(y) and all((pd.isna(u) and pd.isna(v)) if pd.isna(u) or pd.isna(v) else u == v
                                        for u, v in zip(x, y, strict=True))

    for scheme in [*variants(a), a.with_changes({"ranking.levels.entry": "advanced"})]:
        r = rank(scheme, data, on=ON)
        at = np.r_[np.arange(min(5, len(r.rows))), len(r.rows) - 1, r.eligible_count - 1 if r.eligible_count else 0]
        shown = r.rows_at(at, tuple(Listed.SHOWN))
        ids = [*shown["standard_id"][:3], "不在表中"]
        found = r.positions(ids)
        keep, ranks = r.on_list
        leader_ids, leader_rows, count = r.leader_ids, r.leader_rows.copy(), r.eligible_count
        assert "table" not in r.__dict__  # none of that built the table
        t = r.table
        for c in Listed.SHOWN & set(t.columns):
            assert same_values(shown[c], t[c].array.take(at).tolist()), (scheme.id, c)
        assert found.tolist() == [t["standard_id"].tolist().index(i) for i in ids[:3]] + [-1]
        np.testing.assert_array_equal(leader_rows, t["leader"].to_numpy(dtype=bool))
        assert leader_ids == set(t.loc[t["leader"], "standard_id"]) and count == int(t["eligible"].sum())
        on = t["eligible"].to_numpy(dtype=bool) & t["rank"].notna().to_numpy()
        np.testing.assert_array_equal(keep, on)
        np.testing.assert_array_equal(ranks, t["rank"].to_numpy(dtype=float, na_value=np.nan)[on])


# ---- the comparison metrics ------------------------------------------------------------------------------


def slow_metrics(ra, rb) -> dict:
    """The metrics as `compare_rankings` gives them on the eligible standards of each list."""

    def ranks(r):
        eligible = r.table["eligible"].to_numpy(dtype=bool)
        return pd.Series(r.table["rank"].to_numpy(dtype=float, na_value=np.nan)[eligible],
                         index=pd.Index(r.table["standard_id"].to_numpy(dtype=object)[eligible], dtype=object))

    res = compare_rankings(ranks(ra), ranks(rb), ra.leaders["standard_id"].tolist(), rb.leaders["standard_id"].tolist())
    lead = res["leaders"]
    return {"kendall_tau": res["kendall_tau"], "spearman_rho": res["spearman_rho"], "ws": res["ws"],
            "leader_overlap_jaccard": lead["jaccard"], "n_common": res["n_common"], "n_only_a": len(res["only_a"]),
            "n_only_b": len(res["only_b"]), "leaders_a": lead["a"], "leaders_b": lead["b"],
            "leaders_both": lead["both"]}


def same(x, y) -> bool:
    return x == y or (isinstance(x, float) and isinstance(y, float) and np.isnan(x) and np.isnan(y))


def test_metrics_equal_compare_rankings(a, b, data):
    """Same prepared data (aligned by row), other prepared data (by a kept map of rows) and rankings that
    do not say their rows (by id): each metric is exactly the slow path's, ties and empty lists included."""
    prep = prepare(a, data, on=ON)
    listed = [rank(s, prep) for s in variants(a)] + [rank(b, data, on=ON)]
    nobody = rank(a.with_changes({"indicators.energy_use.levels.baseline": "≤ 0.0001",  # none enters
                                  "ranking.levels.entry": "baseline"}), prep)
    assert not nobody.table["eligible"].any()
    listed.append(nobody)
    for ra in listed:
        for rb in listed:
            expected = slow_metrics(ra, rb)
            for pair in ((ra, rb), (dataclasses.replace(ra, rows=None), rb)):
                got = compare_results(*pair).metrics
                assert got.keys() == expected.keys()
                assert all(same(got[k], expected[k]) for k in got), (got, expected)
            short = rank_agreement(ra, rb)
            assert all(same(short[k], expected[k]) for k in short)
            assert set(short) == {"kendall_tau", "n_common", "n_only_a", "n_only_b", "leader_overlap_jaccard",
                                  "leaders_a", "leaders_b", "leaders_both"}


def test_table_positions_are_those_of_the_ids(a, b, data):
    """Rows of one list found in another by the prepared rows (same or other prepared data) or by id."""
    prep = prepare(a, data, on=ON)
    ra, rt, rb = rank(a, prep), rank(variants(a)[1], prep), rank(b, data, on=ON)
    for r_from, r_to in ((ra, rt), (rt, ra), (ra, rb), (rb, ra)):
        at = np.arange(len(r_from.table))[::3]
        ids = r_from.table["standard_id"].to_numpy(dtype=object)[at]
        where = {sid: i for i, sid in enumerate(r_to.table["standard_id"].tolist())}
        expected = [where.get(sid, -1) for sid in ids]
        assert table_positions(r_from, at, r_to).tolist() == expected
        assert table_positions(dataclasses.replace(r_from, rows=None), at, r_to).tolist() == expected


def test_ties_are_counted_as_scipy_counts_them(a, data):
    """Kendall's τ-b with ties: the levels method ties many standards; τ equals scipy's on the ranks."""
    from scipy.stats import kendalltau

    prep = prepare(a, data, on=ON)
    ra, rb = rank(variants(a)[3], prep), rank(a, prep)
    ids = ra.table.loc[ra.table["eligible"], "standard_id"].tolist()
    x = ra.table.set_index("standard_id").loc[ids, "rank"].to_numpy(dtype=float)
    y = rb.table.set_index("standard_id").loc[ids, "rank"].to_numpy(dtype=float)
    assert len(set(x)) < len(x)  # ties
    assert rank_agreement(ra, rb)["kendall_tau"] == float(kendalltau(x, y).statistic)


def test_spearman_is_scipys_to_the_last_bit():
    """ρ by scipy's arithmetic without its wrapper equals `spearmanr` exactly: ties, near-equal lists,
    constant lists (NaN, as scipy gives it), two standards."""
    import warnings

    from scipy.stats import spearmanr

    rng = np.random.default_rng(3)
    cases = [(np.array([1.0, 2.0]), np.array([2.0, 1.0])), (np.ones(5), np.arange(5.0)),
             (np.arange(6.0), np.full(6, 2.0))]
    for i in range(600):
        n = int(rng.integers(2, 300))
        x = rng.integers(1, int(rng.integers(1, n + 1)) + 1, n).astype(float)
        y = rng.permutation(x) if i % 2 else x.copy()
        y[rng.integers(0, n, 2)] += 1
        cases.append((x, y))
    for x, y in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = float(spearmanr(x, y).statistic)
            got = spearman_rho(x, y)
        assert got == want or (np.isnan(got) and np.isnan(want)), (x, y)


def test_movers_are_built_when_read(a, b, data):
    c = compare_results(rank(a, data, on=ON), rank(b, data, on=ON))
    assert c._movers is None
    movers = c.movers
    assert c.movers is movers and list(movers.columns) == ["standard_id", "enterprise", "rank_a", "rank_b",
                                                           "change", "leader_a", "leader_b"]
    moved = movers.set_index("standard_id")
    ta, tb = c.a.table.set_index("standard_id"), c.b.table.set_index("standard_id")
    for sid, row in moved.iterrows():
        if not pd.isna(row["rank_a"]) and not pd.isna(row["rank_b"]):
            assert row["change"] == ta.loc[sid, "rank"] - tb.loc[sid, "rank"]


# ---- the tuned scheme's validation -------------------------------------------------------------------------


def assert_same_report(got, fresh):
    pd.testing.assert_frame_equal(got.findings, fresh.findings, check_exact=True)
    assert (got.scheme_id, got.scheme_digest, got.program, got.source) == (
        fresh.scheme_id, fresh.scheme_digest, fresh.program, fresh.source)


def test_tuned_validation_equals_a_full_validate_after_each_move(a, data):
    tuner = Tuner(a, data, on=ON)
    fulls = []
    moves = [lambda: tuner.set_weight("energy_use", 0.4), lambda: tuner.set_weight("energy_use", 0.1),
             lambda: tuner.set_threshold("energy_use", "advanced", 0.019),
             lambda: tuner.set_threshold("energy_use", "leader", 0.5),  # looser than its advanced level
             lambda: tuner.set_threshold("energy_use", "leader", 0.016),
             lambda: tuner.set_threshold("water_use", "baseline", 40.0),  # looser than the baselines cited
             lambda: tuner.set_weight("water_use", 0.0), tuner.reset, lambda: tuner.set_weight("energy_use", 0.3)]
    for move in moves:
        move()
        fulls.append(tuner._validation.last_full is tuner.report)
        fresh = validate(tuner.scheme, tuner._prepared.program, on=tuner._prepared.on)
        assert_same_report(tuner.report, fresh)
        assert tuner.validity.value == Tuner._validity_html(tuner)
    assert not all(fulls)  # the findings were carried over at least once
    assert sum(fulls) >= 3  # and validated in full when a threshold made new findings


def test_an_expert_conflict_with_the_tuned_id_is_found(a, data):
    """The experts' check compares declared conflicts with the scheme's id: a tuned id named by an expert is
    validated in full and found, as `validate` finds it."""
    tuner = Tuner(a, data, on=ON)
    tuner.set_weight("energy_use", 0.4)
    tuned_id = tuner.scheme.id
    expert = a.experts[0].model_copy(update={"conflicts": [tuned_id]})
    named = a.model_copy(update={"experts": [expert, *a.experts[1:]]})
    check = TunedValidation(tuner._prepared.program, ON)
    for scheme in (named, named.with_changes({"indicators.energy_use.weight": 0.4}),
                   tuner.scheme.model_copy(update={"experts": named.experts})):
        assert_same_report(check(scheme), validate(scheme, tuner._prepared.program, on=ON))
    assert "LK-S022" in set(check(tuner.scheme.model_copy(update={"experts": named.experts})).findings["code"])


def test_the_sections_rechecked_and_kept_are_all_that_validate_runs():
    """`TunedValidation` names every section `validate` runs: a new section must be placed in one list."""
    body = ast.parse(inspect.getsource(validation.validate))
    called = {n.func.id for n in ast.walk(body) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
              and n.func.id.startswith("_") and n.func.id != "_Findings"}
    assert called == set(TunedValidation.RECHECKED) | set(TunedValidation.KEPT)
    assert not set(TunedValidation.RECHECKED) & set(TunedValidation.KEPT)


# ---- the table and the charts --------------------------------------------------------------------------------


def test_table_and_bars_are_those_of_the_whole_table(a, data):
    tuner = Tuner(a, data, on=ON, shown=4)
    tuner.set_weight("energy_use", 0.0)
    tuner.set_weight("washing_ratio", 0.6)
    r = tuner.ranking
    n = int(r.table["eligible"].sum())
    leaving = set(tuner.leaving)
    assert leaving
    sid = r.table["standard_id"].tolist()
    below = [i for i in range(min(tuner.shown, n), n) if sid[i] in leaving]
    shown = r.table.iloc[[*range(min(tuner.shown, n)), *below]]
    assert tuner.table_box.value == _rows_html(shown, set(tuner.entering), leaving, len(shown), "zh")
    top = r.table.iloc[:min(tuner.shown, n)]
    bar = tuner.figure.data[0]
    assert list(bar.x) == top["standard_id"].tolist()
    assert np.allclose(np.asarray(bar.y, dtype=float), top["score"].to_numpy(dtype=float))
    assert list(bar.hovertext) == [f"{s}<br>{e}<br>{w}" for s, e, w in zip(
        top["standard_id"], top["enterprise"].fillna(""), top["why_zh"], strict=True)]


def traces(view) -> list[dict]:
    """The bump chart's traces as data, without the widget's trace ids."""
    return [{k: v for k, v in t.items() if k != "uid"} for t in view.figure.to_plotly_json()["data"]]


def test_the_bump_chart_updated_in_place_equals_one_drawn_anew(a, b, data):
    tuner = Tuner(a, data, on=ON)
    view = ComparisonView(a, b, data, on=ON)
    tuner.observers.append(lambda t, _: view.update(t.ranking))
    for move in (lambda: tuner.set_weight("energy_use", 0.05), lambda: tuner.set_weight("energy_use", 0.06),
                 lambda: tuner.set_threshold("energy_use", "advanced", 0.019), tuner.reset):
        move()
        anew = ComparisonView(view.comparison.a.scheme, b, comparison=view.comparison)
        assert traces(view) == traces(anew)
        assert view.metrics.value == anew.metrics.value
