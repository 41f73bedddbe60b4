//! Composite-pattern detection (skeleton: filled in by the household owner).

/// A composite pattern (複合課題).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// 8050問題
    EightyFifty,
    /// ダブルケア
    DoubleCare,
    /// ヤングケアラー
    YoungCarer,
    /// 多問題世帯
    MultiProblem,
    /// 孤立世帯
    Isolated,
    /// 制度の狭間
    ServiceGap,
}

/// Evidence for a finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Evidence {}

/// A detected pattern with evidence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct PatternFinding {
    /// The pattern.
    pub pattern: Pattern,
    /// Evidence.
    pub evidence: Evidence,
}

/// Thresholds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct PatternSettings {}

/// Detect patterns.
pub fn detect_patterns() -> Vec<PatternFinding> {
    Vec::new()
}
