// UI labels of the widgets in Japanese and English. Domain vocabularies (issues, agency kinds,
// care levels, meeting types) come from the core's taxonomy, not from here.
export const LABELS = {
  ja: {
    intake: '相談受付・アセスメント', household: '世帯', householdId: '世帯ID', member: '世帯員',
    addMember: '世帯員を追加', removeMember: 'この世帯員を削除', memberId: '世帯員ID', relation: '続柄',
    birthDate: '生年月日（西暦または和暦）', approxAge: '年齢（推定）', careLevel: '要介護度',
    disability: '障害者手帳', grade: '等級', none: 'なし', publicAssistance: '生活保護',
    singleParent: 'ひとり親', foreignNational: '外国籍', hospitalised: '入院中', employment: '就労状況',
    engagement: '関わりの状況', caresFor: '世話・介護をしている相手', issues: '課題',
    householdIssues: '世帯全体の課題', ties: 'つながり（エコマップ）', addTie: 'つながりを追加',
    removeTie: 'このつながりを削除', tieMember: '誰の', tieWith: '相手', tieKind: '種類',
    tieLabel: '表示名', strength: '関係の強さ', agency: '関係機関', informal: 'インフォーマル',
    wholeHousehold: '世帯全体', situation: '状況', urgency: '緊急度', consent: '情報共有への同意',
    results: '判定結果', problems: '入力の確認', noProblems: '入力に問題はありません',
    patterns: '複合課題', noPatterns: '該当する複合課題はありません', recommendations: 'つなぎ先の提案',
    noRouting: '振り分けルールはこのビルドにありません', why: '理由', nextMeeting: '提案される会議と情報共有',
    consentNeeded: '本人の同意が必要です', consentNotNeeded: '本人の同意なしに情報共有できます（構成員に守秘義務）',
    aggregateOnly: '個人情報は扱えません（集計のみ）', rank: '順位', ecomap: 'エコマップ', legend: '凡例',
    tieList: 'つながりの一覧', ageSuffix: '歳', parsedAs: '解釈',
  },
  en: {
    intake: 'Intake and assessment', household: 'Household', householdId: 'Household id', member: 'Member',
    addMember: 'Add member', removeMember: 'Remove this member', memberId: 'Member id', relation: 'Relation',
    birthDate: 'Birth date (ISO or Japanese era)', approxAge: 'Approximate age', careLevel: 'Care level',
    disability: 'Disability certificate', grade: 'Grade', none: 'None', publicAssistance: 'Public assistance',
    singleParent: 'Single parent', foreignNational: 'Foreign national', hospitalised: 'In hospital',
    employment: 'Employment', engagement: 'Engagement', caresFor: 'Cares for', issues: 'Issues',
    householdIssues: 'Household-level issues', ties: 'Ties (eco-map)', addTie: 'Add tie',
    removeTie: 'Remove this tie', tieMember: 'Whose', tieWith: 'With', tieKind: 'Kind', tieLabel: 'Label',
    strength: 'Strength', agency: 'Agency', informal: 'Informal support', wholeHousehold: 'Whole household',
    situation: 'Situation', urgency: 'Urgency', consent: 'Consent to sharing', results: 'Results',
    problems: 'Checks', noProblems: 'No problems found', patterns: 'Composite patterns',
    noPatterns: 'No composite pattern found', recommendations: 'Where to connect',
    noRouting: 'Routing rules are not in this build', why: 'Why', nextMeeting: 'Meetings that fit next, and information sharing',
    consentNeeded: "The person's consent is needed",
    consentNotNeeded: 'Information may be shared without consent (members bound to confidentiality)',
    aggregateOnly: 'No personal information (aggregate figures only)', rank: 'Rank', ecomap: 'Eco-map',
    legend: 'Legend', tieList: 'List of ties', ageSuffix: '', parsedAs: 'Read as',
  },
};

export const RELATIONS = {
  head: ['世帯主', 'Head'], spouse: ['配偶者', 'Spouse'], child: ['子', 'Child'],
  child_in_law: ['子の配偶者', 'Child-in-law'], parent: ['親', 'Parent'], grandparent: ['祖父母', 'Grandparent'],
  grandchild: ['孫', 'Grandchild'], sibling: ['兄弟姉妹', 'Sibling'], other: ['その他', 'Other'],
};
export const EMPLOYMENT = {
  full_time: ['正規雇用', 'Full-time'], part_time: ['非正規・パート', 'Part-time'], self_employed: ['自営', 'Self-employed'],
  unemployed: ['無職', 'Unemployed'], student: ['学生', 'Student'], retired: ['退職', 'Retired'],
};
export const ENGAGEMENT = {
  engaged: ['相談につながっている', 'Engaged'], not_engaging: ['つながっていない（ひきこもり等）', 'Not engaging'],
  refuses: ['支援拒否', 'Refuses support'],
};
export const STRENGTH = {
  strong: ['強い', 'Strong'], weak: ['弱い', 'Weak'], stressful: ['ストレスのある', 'Stressful'],
};
export const URGENCY = {
  normal: ['通常', 'Normal'], high: ['高', 'High'], immediate: ['緊急（即時対応）', 'Immediate'],
};
export const CONSENT = {
  none: ['同意なし（未確認）', 'None recorded'], given: ['同意あり', 'Given'], refused: ['同意拒否', 'Refused'],
  withdrawn: ['同意撤回', 'Withdrawn'],
};
export const PATTERNS = {
  8050: ['8050問題', '8050 problem'], double_care: ['ダブルケア', 'Double care'],
  young_carer: ['ヤングケアラー', 'Young carer'], multi_problem: ['多問題世帯', 'Multi-problem household'],
  isolated: ['孤立世帯', 'Isolated household'], service_gap: ['制度の狭間', 'Service gap'],
};

/** Label of `code` in a [ja, en] table, falling back to the code. */
export function pick(table, code, lang) {
  const t = table[code];
  return t ? t[lang === 'en' ? 1 : 0] : code;
}

/** A `{ja, en}` label in `lang`. */
export function label(l, lang) {
  return l ? (lang === 'en' ? l.en : l.ja) : '';
}

/** The UI labels for `lang` (anything but `en` is Japanese). */
export function ui(lang) {
  return LABELS[lang === 'en' ? 'en' : 'ja'];
}
