//! Stage 4 (related): the latent (theme) signal: every article's place in a small topic space
//! learnt from the whole library, so that two stories about one subject match even when they
//! share few exact words. This is latent semantic analysis of the term signatures, computed
//! with a randomized range finder (Halko, Martinsson and Tropp, 2011): linear in the number
//! of articles, deterministic, and independent of thread count and file order.

use rayon::prelude::*;

use super::sparse::Vector;

/// Dimensions of the theme space.
pub const DIMS: usize = 32;

/// One article's unit-length position in the theme space (all zeros when it has no terms).
pub type Embedding = [f32; DIMS];

/// Rows per block of a sum over all articles: the blocks are summed in order, so the result
/// does not depend on how many threads shared the work.
const BLOCK: usize = 512;

/// Each article's theme embedding, from the articles' signatures (term index, weight) and
/// the term ids behind the term indexes (which seed the random start, so a term draws the
/// same numbers whatever its index).
pub fn embed(signatures: &[Vector], term_ids: &[u64]) -> Vec<Embedding> {
    let n = signatures.len();
    if n < 3 || term_ids.is_empty() {
        return vec![[0.0; DIMS]; n];
    }
    let by_term = transpose(signatures, term_ids.len());
    // Range finder with two power iterations: Q spans the strongest directions of A·Aᵀ.
    let start: Vec<Embedding> = term_ids.iter().map(|&id| random_signs(id)).collect();
    let mut q = orthonormal(multiply(signatures, &start));
    for _ in 0..2 {
        q = orthonormal(multiply(signatures, &multiply(&by_term, &q)));
    }
    // A ≈ Q·B with B = Qᵀ·A, so article similarity is Q·(B·Bᵀ)·Qᵀ. With B·Bᵀ = W·Λ·Wᵀ, the
    // embeddings are the rows of Q·W·Λ^½, kept to the `dimensions(n)` strongest directions:
    // fewer directions than a library has articles is what makes themes out of words.
    let (values, vectors) = eigen(gram(&multiply(&by_term, &q)));
    let keep = dimensions(n);
    let m: Matrix = std::array::from_fn(|i| {
        std::array::from_fn(
            |j| if j < keep { (vectors[i][j] * values[j].max(0.0).sqrt()) as f32 } else { 0.0 },
        )
    });
    q.par_iter().map(|row| unit(times(row, &m))).collect()
}

/// Theme directions kept for a library of `n` articles: one for every four articles, at
/// least 2 and at most `DIMS`.
fn dimensions(n: usize) -> usize {
    (n / 4).clamp(2, DIMS)
}

/// Eigenvalues (largest first) and eigenvectors (as columns, in the same order) of a
/// symmetric matrix, by cyclic Jacobi rotations.
fn eigen(mut a: Square) -> ([f64; DIMS], Square) {
    let mut v = [[0.0f64; DIMS]; DIMS];
    (0..DIMS).for_each(|i| v[i][i] = 1.0);
    let scale: f64 = (0..DIMS).map(|i| a[i][i].abs()).sum::<f64>().max(f64::MIN_POSITIVE);
    for _sweep in 0..50 {
        let off: f64 =
            (0..DIMS).flat_map(|i| (i + 1..DIMS).map(move |j| (i, j))).map(|(i, j)| a[i][j] * a[i][j]).sum();
        if off.sqrt() <= 1e-12 * scale {
            break;
        }
        for p in 0..DIMS {
            for q in p + 1..DIMS {
                if a[p][q].abs() <= f64::MIN_POSITIVE {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let (c, s) = (1.0 / (t * t + 1.0).sqrt(), t / (t * t + 1.0).sqrt());
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (row_p, row_q) = (a[p], a[q]);
                for (k, (&apk, &aqk)) in row_p.iter().zip(&row_q).enumerate() {
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..DIMS).collect();
    order.sort_by(|&x, &y| a[y][y].total_cmp(&a[x][x]).then(x.cmp(&y)));
    let values = std::array::from_fn(|j| a[order[j]][order[j]]);
    let vectors = std::array::from_fn(|i| std::array::from_fn(|j| v[i][order[j]]));
    (values, vectors)
}

/// Cosine of two embeddings, at least 0 (an opposite theme is no evidence).
pub fn similarity(a: &Embedding, b: &Embedding) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>().max(0.0)
}

/// Per term, the articles that have it (article index, weight), in article order.
fn transpose(signatures: &[Vector], terms: usize) -> Vec<Vector> {
    let mut by_term: Vec<Vector> = vec![Vec::new(); terms];
    for (doc, signature) in signatures.iter().enumerate() {
        for &(t, w) in signature {
            by_term[t as usize].push((doc as u32, w));
        }
    }
    by_term
}

/// Row i of the result is the sum over row i's entries (j, w) of w × `dense[j]`.
fn multiply(sparse: &[Vector], dense: &[Embedding]) -> Vec<Embedding> {
    sparse
        .par_iter()
        .map(|row| {
            let mut sum = [0.0f32; DIMS];
            for &(j, w) in row {
                let d = &dense[j as usize];
                sum.iter_mut().zip(d).for_each(|(s, x)| *s += w * x);
            }
            sum
        })
        .collect()
}

/// ±1 in each dimension, from hashes of the term id (SplitMix64, 64 signs a hash).
fn random_signs(id: u64) -> Embedding {
    let bits: Vec<u64> =
        (0..DIMS.div_ceil(64) as u64).map(|block| splitmix64(id ^ block.rotate_right(7))).collect();
    std::array::from_fn(|i| if bits[i / 64] >> (i % 64) & 1 == 1 { 1.0 } else { -1.0 })
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

type Square = [[f64; DIMS]; DIMS];
type Matrix = [[f32; DIMS]; DIMS];

/// Xᵀ·X, each block of rows summed in f32 (whole rows at a time, which vectorises), the
/// blocks in f64 and in order (deterministic at any thread count).
fn gram(rows: &[Embedding]) -> Square {
    let blocks: Vec<Box<Matrix>> = rows
        .par_chunks(BLOCK)
        .map(|block| {
            let mut g = Box::new([[0.0f32; DIMS]; DIMS]);
            for row in block {
                for (gi, &ri) in g.iter_mut().zip(row) {
                    gi.iter_mut().zip(row).for_each(|(s, &rj)| *s += ri * rj);
                }
            }
            g
        })
        .collect();
    let mut g = [[0.0f64; DIMS]; DIMS];
    for block in &blocks {
        for (gi, bi) in g.iter_mut().zip(block.iter()) {
            gi.iter_mut().zip(bi).for_each(|(s, &b)| *s += f64::from(b));
        }
    }
    g
}

/// The lower-triangular L with L·Lᵀ = G (plus a small ridge, so that a library with fewer
/// independent directions than `DIMS` still factors); a direction with nothing left in it
/// gets a zero column.
fn cholesky(g: &Square) -> Square {
    let trace: f64 = (0..DIMS).map(|i| g[i][i]).sum();
    let ridge = 1e-9 * trace / DIMS as f64;
    let mut l = [[0.0f64; DIMS]; DIMS];
    for j in 0..DIMS {
        let pivot = g[j][j] + ridge - (0..j).map(|k| l[j][k] * l[j][k]).sum::<f64>();
        if pivot <= ridge * 2.0 {
            continue; // no independent direction left: the column stays zero
        }
        let d = pivot.sqrt();
        l[j][j] = d;
        for i in j + 1..DIMS {
            let dot: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            l[i][j] = (g[i][j] - dot) / d;
        }
    }
    l
}

/// The inverse of lower-triangular L, restricted to its non-zero columns (a zero column's
/// row and column of the result are zero).
fn invert_lower(l: &Square) -> Square {
    let mut inv = [[0.0f64; DIMS]; DIMS];
    for k in 0..DIMS {
        if l[k][k] == 0.0 {
            continue;
        }
        // Column k of L⁻¹: solve L·x = e_k.
        inv[k][k] = 1.0 / l[k][k];
        for i in k + 1..DIMS {
            if l[i][i] > 0.0 {
                let sum: f64 = (k..i).map(|m| l[i][m] * inv[m][k]).sum();
                inv[i][k] = -sum / l[i][i];
            }
        }
    }
    inv
}

/// Y·(Lᵀ)⁻¹ where L·Lᵀ = Yᵀ·Y: the same span with orthonormal columns (Cholesky QR).
fn orthonormal(y: Vec<Embedding>) -> Vec<Embedding> {
    let inv = invert_lower(&cholesky(&gram(&y)));
    // (Lᵀ)⁻¹ = (L⁻¹)ᵀ, so entry [i][j] is inv[j][i].
    let m: Matrix = std::array::from_fn(|i| std::array::from_fn(|j| inv[j][i] as f32));
    y.into_par_iter().map(|row| times(&row, &m)).collect()
}

/// The row vector `row`·M (whole rows of M at a time, which vectorises).
fn times(row: &Embedding, m: &Matrix) -> Embedding {
    let mut out = [0.0f32; DIMS];
    for (&r, mi) in row.iter().zip(m) {
        out.iter_mut().zip(mi).for_each(|(o, &x)| *o += r * x);
    }
    out
}

fn unit(mut v: Embedding) -> Embedding {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two themes of four words each; articles use two or three words of one theme.
    fn two_themes() -> (Vec<Vector>, Vec<u64>) {
        let docs: Vec<&[u32]> =
            vec![&[0, 1], &[1, 2], &[2, 3], &[0, 3, 1], &[4, 5], &[5, 6], &[6, 7], &[4, 7, 5]];
        let signatures = docs
            .iter()
            .map(|terms| {
                let w = 1.0 / (terms.len() as f32).sqrt();
                let mut v: Vector = terms.iter().map(|&t| (t, w)).collect();
                v.sort_unstable_by_key(|(t, _)| *t);
                v
            })
            .collect();
        (signatures, (100..108).collect())
    }

    #[test]
    fn articles_of_one_theme_are_close_without_shared_words() {
        let (signatures, ids) = two_themes();
        let e = embed(&signatures, &ids);
        // Articles 0 ({0,1}) and 2 ({2,3}) share no word but share a theme.
        assert!(similarity(&e[0], &e[2]) > 0.5, "{}", similarity(&e[0], &e[2]));
        assert!(similarity(&e[0], &e[6]) < 0.1, "{}", similarity(&e[0], &e[6]));
        for v in &e {
            let norm: f32 = v.iter().map(|x| x * x).sum();
            assert!((norm - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn the_embedding_is_the_same_at_any_thread_count() {
        // More articles than one block of rows, so that sums are split between threads.
        let signatures: Vec<Vector> = (0..3 * BLOCK as u32)
            .map(|doc| {
                let mut v: Vector = (0..4).map(|k| ((doc * 7 + k * 13) % 97, 0.5)).collect();
                v.sort_unstable_by_key(|(t, _)| *t);
                v.dedup_by_key(|(t, _)| *t);
                v
            })
            .collect();
        let ids: Vec<u64> = (1000..1097).collect();
        let many = embed(&signatures, &ids);
        assert!(many.iter().any(|e| e.iter().any(|&x| x != 0.0)));
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool");
        let one = pool.install(|| embed(&signatures, &ids));
        assert_eq!(many, one);
    }

    #[test]
    fn eigen_finds_the_values_and_vectors_of_a_symmetric_matrix() {
        let mut a = [[0.0f64; DIMS]; DIMS];
        a[0][0] = 2.0;
        a[1][1] = 2.0;
        a[0][1] = 1.0;
        a[1][0] = 1.0;
        a[5][5] = 0.5;
        let (values, vectors) = eigen(a);
        assert!(
            (values[0] - 3.0).abs() < 1e-9
                && (values[1] - 1.0).abs() < 1e-9
                && (values[2] - 0.5).abs() < 1e-9
        );
        let half = 0.5f64.sqrt();
        assert!((vectors[0][0].abs() - half).abs() < 1e-9 && (vectors[1][0].abs() - half).abs() < 1e-9);
        assert!((vectors[5][2].abs() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn tiny_and_empty_libraries_give_zero_embeddings() {
        assert_eq!(embed(&[vec![(0, 1.0)], vec![]], &[1]), vec![[0.0; DIMS]; 2]);
        let e = embed(&[vec![], vec![], vec![]], &[]);
        assert!(e.iter().all(|v| v.iter().all(|&x| x == 0.0)));
    }
}
