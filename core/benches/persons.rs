//! Person-master benchmark (not a timed test; issue 17): a synthetic population registered
//! through `register_person` commands —
//!
//! * **index build**: registering every person (validation, match keys, the incremental index);
//! * **kana-prefix search**: `TSUNAGU_BENCH_QUERIES` searches by a reading prefix of two or three
//!   kana (limit 100), with p50 and p99 latency (target p99 ≤ 1 ms at 1 M persons);
//! * **名寄せ**: candidate pairs over all persons (target ≤ 60 s on one core at 1 M persons).
//!
//! About 2 % of the persons are a second record of an earlier one, written as another window
//! would (a variant kanji, hiragana, half-width kana, a long vowel spelt another way), so the
//! candidates are real work; the checks at the end make sure they are found.
//!
//! ```text
//! cargo bench -p tsunagu --bench persons                                  # 1 M persons
//! TSUNAGU_BENCH_PERSONS=2000 cargo test -p tsunagu --bench persons        # tiny (CI)
//! ```

use chrono::NaiveDate;
use std::time::Instant;
use tsunagu::person::{Address, CandidateWeights, PersonInput, PersonQuery, Sex};
use tsunagu::registry::{Command, RegisterPerson, Registry};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// CPU seconds (user + system) of this process from `/proc/self/stat` (Linux; 10 ms ticks):
/// on a shared machine wall time includes the waits for a core, CPU time does not.
fn cpu_seconds() -> f64 {
    let read = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let after = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        Some((utime + stime) / 100.0)
    };
    read().unwrap_or(f64::NAN)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Surnames: (as written, a variant writing, reading).
const SURNAMES: &[(&str, &str, &str)] = &[
    ("高橋", "髙橋", "タカハシ"),
    ("佐藤", "佐藤", "サトウ"),
    ("鈴木", "鈴木", "スズキ"),
    ("田中", "田中", "タナカ"),
    ("伊藤", "伊藤", "イトウ"),
    ("渡辺", "渡邊", "ワタナベ"),
    ("山本", "山本", "ヤマモト"),
    ("中村", "中村", "ナカムラ"),
    ("小林", "小林", "コバヤシ"),
    ("加藤", "加藤", "カトウ"),
    ("吉田", "𠮷田", "ヨシダ"),
    ("山田", "山田", "ヤマダ"),
    ("佐々木", "佐佐木", "ササキ"),
    ("山口", "山口", "ヤマグチ"),
    ("斎藤", "齋藤", "サイトウ"),
    ("松本", "松本", "マツモト"),
    ("井上", "井上", "イノウエ"),
    ("木村", "木村", "キムラ"),
    ("林", "林", "ハヤシ"),
    ("清水", "淸水", "シミズ"),
    ("山崎", "山﨑", "ヤマザキ"),
    ("森", "森", "モリ"),
    ("池田", "池田", "イケダ"),
    ("橋本", "橋本", "ハシモト"),
    ("阿部", "阿部", "アベ"),
    ("石川", "石川", "イシカワ"),
    ("山下", "山下", "ヤマシタ"),
    ("中島", "中嶋", "ナカジマ"),
    ("石井", "石井", "イシイ"),
    ("小川", "小川", "オガワ"),
    ("前田", "前田", "マエダ"),
    ("岡田", "岡田", "オカダ"),
    ("長谷川", "長谷川", "ハセガワ"),
    ("藤田", "藤田", "フジタ"),
    ("後藤", "後藤", "ゴトウ"),
    ("近藤", "近藤", "コンドウ"),
    ("村上", "村上", "ムラカミ"),
    ("遠藤", "遠藤", "エンドウ"),
    ("青木", "青木", "アオキ"),
    ("坂本", "坂本", "サカモト"),
    ("斉藤", "齊藤", "サイトウ"),
    ("福田", "福田", "フクダ"),
    ("太田", "太田", "オオタ"),
    ("西村", "西村", "ニシムラ"),
    ("藤井", "藤井", "フジイ"),
    ("金子", "金子", "カネコ"),
    ("岡本", "岡本", "オカモト"),
    ("藤原", "藤原", "フジワラ"),
    ("中野", "中野", "ナカノ"),
    ("三浦", "三浦", "ミウラ"),
    ("原田", "原田", "ハラダ"),
    ("中川", "中川", "ナカガワ"),
    ("松田", "松田", "マツダ"),
    ("竹内", "竹内", "タケウチ"),
    ("小野", "小野", "オノ"),
    ("田村", "田村", "タムラ"),
    ("中山", "中山", "ナカヤマ"),
    ("和田", "和田", "ワダ"),
    ("石田", "石田", "イシダ"),
    ("上田", "上田", "ウエダ"),
    ("森田", "森田", "モリタ"),
    ("原", "原", "ハラ"),
    ("柴田", "柴田", "シバタ"),
    ("酒井", "酒井", "サカイ"),
    ("工藤", "工藤", "クドウ"),
    ("横山", "横山", "ヨコヤマ"),
    ("宮崎", "宮﨑", "ミヤザキ"),
    ("宮本", "宮本", "ミヤモト"),
    ("内田", "内田", "ウチダ"),
    ("高木", "髙木", "タカギ"),
    ("安藤", "安藤", "アンドウ"),
    ("谷口", "谷口", "タニグチ"),
    ("大野", "大野", "オオノ"),
    ("丸山", "丸山", "マルヤマ"),
    ("今井", "今井", "イマイ"),
    ("河野", "河野", "コウノ"),
    ("藤本", "藤本", "フジモト"),
    ("村田", "村田", "ムラタ"),
    ("武田", "武田", "タケダ"),
    ("上野", "上野", "ウエノ"),
    ("杉山", "杉山", "スギヤマ"),
    ("増田", "增田", "マスダ"),
    ("平野", "平野", "ヒラノ"),
    ("大塚", "大塚", "オオツカ"),
    ("千葉", "千葉", "チバ"),
    ("久保", "久保", "クボ"),
    ("松井", "松井", "マツイ"),
    ("小島", "小嶋", "コジマ"),
    ("岩崎", "岩﨑", "イワサキ"),
    ("桜井", "櫻井", "サクライ"),
    ("野口", "野口", "ノグチ"),
    ("松尾", "松尾", "マツオ"),
    ("野村", "野村", "ノムラ"),
    ("木下", "木下", "キノシタ"),
    ("菊地", "菊地", "キクチ"),
    ("佐野", "佐野", "サノ"),
    ("大西", "大西", "オオニシ"),
    ("杉本", "杉本", "スギモト"),
    ("新井", "新井", "アライ"),
    ("浜田", "濱田", "ハマダ"),
];

/// Given names: (as written, reading).
const GIVEN: &[(&str, &str)] = &[
    ("由美", "ユミ"),
    ("花子", "ハナコ"),
    ("太郎", "タロウ"),
    ("次郎", "ジロウ"),
    ("恵子", "ケイコ"),
    ("京子", "キョウコ"),
    ("洋子", "ヨウコ"),
    ("裕子", "ユウコ"),
    ("翔太", "ショウタ"),
    ("健一", "ケンイチ"),
    ("誠", "マコト"),
    ("大輔", "ダイスケ"),
    ("直樹", "ナオキ"),
    ("美咲", "ミサキ"),
    ("陽菜", "ヒナ"),
    ("蓮", "レン"),
    ("悠真", "ユウマ"),
    ("結衣", "ユイ"),
    ("颯太", "ソウタ"),
    ("さくら", "サクラ"),
    ("一郎", "イチロウ"),
    ("清", "キヨシ"),
    ("茂", "シゲル"),
    ("勇", "イサム"),
    ("節子", "セツコ"),
    ("和子", "カズコ"),
    ("幸子", "サチコ"),
    ("久美子", "クミコ"),
    ("明美", "アケミ"),
    ("真由美", "マユミ"),
    ("智子", "トモコ"),
    ("亮", "リョウ"),
    ("拓也", "タクヤ"),
    ("雄大", "ユウダイ"),
    ("千鶴", "チヅル"),
    ("修", "オサム"),
    ("浩", "ヒロシ"),
    ("徹", "トオル"),
    ("香織", "カオリ"),
    ("愛", "アイ"),
    ("舞", "マイ"),
    ("彩", "アヤ"),
    ("龍之介", "リュウノスケ"),
    ("大和", "ヤマト"),
    ("湊", "ミナト"),
    ("陽翔", "ハルト"),
    ("凛", "リン"),
    ("葵", "アオイ"),
    ("芽依", "メイ"),
    ("美緒", "ミオ"),
];

/// Katakana → half-width for the readings a second window types (a few common letters).
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ア' => 'ｱ',
            'イ' => 'ｲ',
            'ウ' => 'ｳ',
            'カ' => 'ｶ',
            'サ' => 'ｻ',
            'タ' => 'ﾀ',
            'ナ' => 'ﾅ',
            'ハ' => 'ﾊ',
            'マ' => 'ﾏ',
            'ヤ' => 'ﾔ',
            'ラ' => 'ﾗ',
            'シ' => 'ｼ',
            'コ' => 'ｺ',
            c => c,
        })
        .collect()
}

fn hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// The population: `n` persons, about 2 % a second record of an earlier one.
fn population(n: usize) -> (Vec<PersonInput>, usize) {
    let mut rng = Rng(17);
    let mut out: Vec<PersonInput> = Vec::with_capacity(n);
    let mut duplicates = 0;
    let start = NaiveDate::from_ymd_opt(1930, 1, 1).expect("a date");
    let areas = (n / 1000).max(1);
    for i in 0..n {
        let id = format!("p-{i:07}");
        if i > 10 && rng.below(50) == 0 {
            // A second record of an earlier person, as another window writes it.
            let j = rng.below(i);
            let earlier = &out[j];
            let mut p = earlier.clone();
            p.id = id.into();
            let surname = SURNAMES
                .iter()
                .find(|(w, _, _)| earlier.name.as_deref().is_some_and(|n| n.starts_with(w)));
            if let (Some((w, v, _)), Some(name)) = (surname, &earlier.name) {
                p.name = Some(name.replacen(w, v, 1));
            }
            p.reading = earlier.reading.as_deref().map(|r| match rng.below(3) {
                0 => hiragana(r),
                1 => half_width(r),
                _ => ["ョウ", "トウ", "ユウ", "ロウ", "ドウ", "コウ"]
                    .iter()
                    .fold(r.to_string(), |r, long| {
                        r.replace(long, &long.replace('ウ', "ー"))
                    }),
            });
            p.phones = vec![format!(
                "090-{:04}-{:04}",
                rng.below(10_000),
                rng.below(10_000)
            )];
            out.push(p);
            duplicates += 1;
            continue;
        }
        let (sw, _, sr) = SURNAMES[rng.below(SURNAMES.len())];
        let (gw, gr) = GIVEN[rng.below(GIVEN.len())];
        let birth = start + chrono::Days::new(rng.below(80 * 365) as u64);
        out.push(PersonInput {
            id: id.into(),
            name: Some(format!("{sw} {gw}")),
            reading: Some(format!("{sr} {gr}")),
            other_names: Vec::new(),
            sex: if rng.below(2) == 0 {
                Sex::Female
            } else {
                Sex::Male
            },
            birth_date: Some(birth.to_string()),
            address: Some(Address {
                text: None,
                small_area: Some(format!("area-{:04}", rng.below(areas)).into()),
            }),
            phones: vec![format!(
                "0{}-{:03}-{:04}",
                20 + rng.below(80),
                rng.below(1000),
                rng.below(10_000)
            )],
            resident_number: Some(format!("R{:010}", rng.next() % 10_000_000_000).into()),
        });
    }
    (out, duplicates)
}

fn main() {
    let n = env("TSUNAGU_BENCH_PERSONS", 1_000_000) as usize;
    let queries = env("TSUNAGU_BENCH_QUERIES", 10_000) as usize;
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
    let (people, duplicates) = population(n);

    let (c0, t0) = (cpu_seconds(), Instant::now());
    let mut reg = Registry::new();
    for p in people {
        reg.execute(&Command::from(RegisterPerson { person: p }), today)
            .expect("a synthetic person is valid");
    }
    let build = t0.elapsed().as_secs_f64();
    let build_cpu = cpu_seconds() - c0;
    let c_search = cpu_seconds();

    let mut rng = Rng(99);
    let mut times = Vec::with_capacity(queries);
    let mut found = 0usize;
    for _ in 0..queries {
        let (_, _, r) = SURNAMES[rng.below(SURNAMES.len())];
        let len = 2 + rng.below(2);
        let prefix: String = r.chars().take(len).collect();
        let q = PersonQuery {
            reading: Some(prefix),
            ..PersonQuery::default()
        };
        let t = Instant::now();
        let hits = reg.search_persons(&q).expect("a query");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        found += hits.persons.len();
    }
    let search_cpu_ms = (cpu_seconds() - c_search) * 1e3 / queries.max(1) as f64;
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];

    let (c0, t0) = (cpu_seconds(), Instant::now());
    let pairs = reg.duplicate_candidates(&CandidateWeights::default());
    let dedup = t0.elapsed().as_secs_f64();
    let dedup_cpu = cpu_seconds() - c0;
    let strong = pairs.iter().filter(|p| p.score >= 50).count();

    println!(
        "persons benchmark: {n} persons ({duplicates} second records); load average {}",
        loadavg()
    );
    println!("  index build (register_person ×{n}): {build:.2} s wall, {build_cpu:.2} s CPU");
    println!(
        "  kana-prefix search ×{queries} (limit 100): wall p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; CPU {search_cpu_ms:.3} ms per search on average ({} results on average)",
        pct(0.50),
        pct(0.99),
        times.last().copied().unwrap_or_default(),
        found / queries.max(1)
    );
    println!(
        "  名寄せ candidate generation: {dedup:.2} s wall, {dedup_cpu:.2} s CPU, {} pairs ({strong} scoring ≥ 50)",
        pairs.len()
    );
    assert!(
        strong >= duplicates * 9 / 10,
        "most second records are found ({strong} of {duplicates})"
    );
}
