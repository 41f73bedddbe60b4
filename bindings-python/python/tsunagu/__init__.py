"""tsunagu (つなぐ): the domain engine of 重層的支援体制整備事業, from Python.

A thin layer over the Rust core (``tsunagu._core``): the case book (``CaseBook``, also named
``Registry``: the registry in a journal, in memory or an SQLite file) and its commands, era dates and
fiscal years, household validation and composite patterns, routing rules (振り分けルール) and
recommendations with explanations, the annual report (実績報告) with
mergeable partial reports for scale-out, and the pseudonymised export as Arrow tables for
pandas / polars / pyarrow / DuckDB.
"""

from __future__ import annotations

import enum

from ._core import (
    AccessGate,
    AccessPolicy,
    ActingBook,
    AlreadyExistsError,
    AnnualReport,
    ArrowTable,
    CaseBook,
    ConflictError,
    ConsentError,
    Directory,
    DocumentError,
    Export,
    FiscalYear,
    FormSet,
    Ledger,
    NotFoundError,
    PartialReport,
    Recommendation,
    Registry,
    Router,
    Routing,
    RuleDocumentError,
    RuleSet,
    RuleViolationError,
    StorageError,
    InternalError,
    Taxonomies,
    TransitionError,
    TsunaguError,
    ValidationError,
    __version__,
    _error_for_code,
    _panic_for_test,
    age_on,
    check_form_definition,
    annual_report,
    default_age_bands,
    detect_patterns,
    error_codes,
    export,
    format_era_date,
    household_problems,
    ishinomaki_2020,
    load_access_policy,
    parse_era_date,
    rule_problems,
    school_stage,
    validate_household,
    same_reading,
    same_name,
    reading_key,
    name_key,
    looks_like_my_number,
    validate_taxonomy,
    write_synthetic_journal,
)


class Outcome(enum.Enum):
    """Outcome decided after assessment (アセスメント後の判断)."""

    INFORMATION_ONLY = "information_only"  #: 相談・情報提供のみ (単発相談)
    HANDED_OVER = "handed_over"  #: 他制度・他機関へのつなぎ
    CONTINUING_SUPPORT = "continuing_support"  #: プラン作成による継続支援 (継続相談)


class ReferralStatus(enum.Enum):
    """Status of a referral (つなぎ)."""

    PROPOSED = "proposed"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"
    REVOKED = "revoked"


class ConvenerRole(enum.Enum):
    """Who convenes a meeting (招集者の立場)."""

    MUNICIPALITY = "municipality"
    MULTI_AGENCY_OPERATOR = "multi_agency_operator"
    COMMUNITY_GENERAL_SUPPORT_CENTER = "community_general_support_center"
    ANY_AGENCY = "any_agency"


class Urgency(enum.Enum):
    """Urgency (緊急度) of a situation, as assessed at intake; routing ranks by it first."""

    IMMEDIATE = "immediate"  #: 緊急（即時対応）
    HIGH = "high"  #: 高
    NORMAL = "normal"  #: 通常


class ConsentState(enum.Enum):
    """The person's consent (同意) to sharing their information, as routing sees it."""

    NONE = "none"  #: 同意なし
    GIVEN = "given"  #: 同意あり
    REFUSED = "refused"  #: 同意拒否
    WITHDRAWN = "withdrawn"  #: 同意撤回


__all__ = [
    "ActingBook",
    "AlreadyExistsError",
    "AnnualReport",
    "ArrowTable",
    "CaseBook",
    "ConflictError",
    "ConsentError",
    "ConsentState",
    "ConvenerRole",
    "Directory",
    "DocumentError",
    "Export",
    "FiscalYear",
    "Ledger",
    "NotFoundError",
    "Outcome",
    "PartialReport",
    "Recommendation",
    "ReferralStatus",
    "Registry",
    "Router",
    "Routing",
    "RuleDocumentError",
    "RuleSet",
    "RuleViolationError",
    "StorageError",
    "InternalError",
    "Taxonomies",
    "TransitionError",
    "TsunaguError",
    "Urgency",
    "ValidationError",
    "__version__",
    "age_on",
    "annual_report",
    "default_age_bands",
    "detect_patterns",
    "error_codes",
    "export",
    "format_era_date",
    "household_problems",
    "ishinomaki_2020",
    "parse_era_date",
    "rule_problems",
    "school_stage",
    "validate_household",
    "validate_taxonomy",
    "write_synthetic_journal",
    "looks_like_my_number",
    "name_key",
    "reading_key",
    "same_name",
    "same_reading",
    "FormSet",
    "check_form_definition",
    "AccessGate",
    "AccessPolicy",
    "load_access_policy",
]
