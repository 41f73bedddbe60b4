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
    receivingWindow: '受付窓口', personSearch: '本人をさがす（カナ・漢字）', personSearchHint: 'たかはし / 高橋',
    chosen: '選択中', noPerson: '該当する人が見つかりません', person: '本人', timeline: '経過',
    kinds: '種類', from: 'から', to: 'まで', noItems: '該当する記録はありません', corrected: '訂正済み',
    form: '様式', print: '印刷', formProblems: '入力の確認', required: '必須', addRow: '行を追加',
    removeRow: 'この行を削除', yes: 'はい', main: '主訴',
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
    receivingWindow: 'Receiving window', personSearch: 'Find the person (kana or kanji)', personSearchHint: 'たかはし / 高橋',
    chosen: 'Chosen', noPerson: 'No one found', person: 'Person', timeline: 'Timeline',
    kinds: 'Kinds', from: 'From', to: 'To', noItems: 'No records', corrected: 'corrected',
    form: 'Form', print: 'Print', formProblems: 'Checks', required: 'required', addRow: 'Add row',
    removeRow: 'Remove this row', yes: 'Yes', main: 'main',
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

/** What each problem of a filled form means (forms::FormProblem::SUBMISSION_CODES). */
export const FORM_PROBLEMS = {
  missing_field: ['入力してください（必須）', 'Required'],
  unknown_field: ['この様式にない項目です', 'Not a field of this form'],
  wrong_type: ['入力の形式が違います', 'Wrong kind of value'],
  unknown_choice: ['選択肢にない値です', 'Not one of the choices'],
  duplicate_choice: ['同じ選択肢が重複しています', 'Chosen twice'],
  invalid_date: ['日付として読めません（西暦または和暦）', 'Not a date (ISO or Japanese era)'],
  out_of_range: ['範囲外の値です', 'Out of range'],
  main_not_selected: ['主訴（◎）は選んだ項目から指定してください', 'The main item (◎) must be one of those chosen'],
  main_not_allowed: ['この項目に主訴（◎）は指定できません', 'No main item (◎) here'],
  too_few_rows: ['行が足りません', 'Too few rows'],
  too_many_rows: ['行が多すぎます', 'Too many rows'],
  date_order: ['日付の順序が正しくありません', 'Dates out of order'],
  not_a_member: ['世帯員ではありません', 'Not a member of the household'],
  date_in_future: ['未来の日付です', 'Date in the future'],
};

/** Timeline item kinds (record::TimelineKind). */
export const TIMELINE_KINDS = {
  case_transition: ['ケースの経過', 'Case step'], plan: ['支援プラン', 'Support plan'],
  monitoring: ['モニタリング', 'Monitoring'], entry: ['支援経過記録', 'Case record'],
  outreach: ['アウトリーチ', 'Outreach'], contact: ['連絡調整', 'Liaison'], referral: ['つなぎ', 'Referral'],
  meeting: ['会議', 'Meeting'], disclosure: ['情報提供', 'Disclosure'], consent: ['同意', 'Consent'],
  attachment: ['添付書類', 'Attachment'],
};

/** A date in 和暦 (Japanese) or ISO (English) with the module's calendar; the ISO text if the
 *  module cannot write it. */
export function dateText(iso, lang, lib) {
  if (!iso) return '';
  if (lang === 'en' || !lib) return iso;
  try { return lib.formatEraDate(iso); } catch { return iso; }
}

/** One line about a person: name, reading, birth date, where they live (never an id). */
export function personLine(p, lang, lib, { name = true } = {}) {
  const parts = [];
  if (name && p.name) parts.push(p.name);
  if (p.reading) parts.push(`（${p.reading}）`);
  if (p.birth_date) parts.push(`${dateText(p.birth_date, lang, lib)}${lang === 'en' ? '' : '生'}`);
  if (p.address?.text) parts.push(p.address.text);
  return parts.join(' ');
}

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
