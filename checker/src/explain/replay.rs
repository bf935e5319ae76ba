//! The model's states along a linearization, for showing each step's state before and after.
//!
//! The search keeps only which operations it linearized, not the states it passed through;
//! replaying them is cheap. A nondeterministic model may offer several next states, so the
//! replay follows every distinct one (up to a cap) and walks back the path that reached the
//! end.
use crate::history::{History, Outcome};
use crate::model::Model;

/// Distinct states followed per step; beyond it the replay keeps the first ones found.
const MAX_FRONTIER: usize = 256;

/// The states before the first operation of `order` and after each one (`order.len() + 1`
/// states), or fewer when no path through the model fits all of `order`: then the states up
/// to the last operation some path fits.
pub fn replay<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    order: &[usize],
) -> Vec<M::State> {
    // Each layer holds (state, index of its parent in the previous layer).
    let mut layers: Vec<Vec<(M::State, usize)>> = vec![vec![(model.init(), 0)]];
    for &index in order {
        let op = &history[index];
        let mut next: Vec<(M::State, usize)> = Vec::new();
        for (parent, (state, _)) in layers[layers.len() - 1].iter().enumerate() {
            let states = match &op.outcome {
                Outcome::Returned { output, .. } => model.step(state, &op.input, output).into_vec(),
                // An unknown operation may also have left the state as it was, an output
                // `step_unknown` is allowed to leave out.
                Outcome::Unknown => {
                    let mut states = model.step_unknown(state, &op.input).into_vec();
                    if !states.contains(state) {
                        states.push(state.clone());
                    }
                    states
                }
            };
            for after in states {
                if next.len() < MAX_FRONTIER && !next.iter().any(|(seen, _)| *seen == after) {
                    next.push((after, parent));
                }
            }
        }
        if next.is_empty() {
            break;
        }
        layers.push(next);
    }
    walk_back(layers)
}

/// The path from the first state of the last layer back to the initial state, in order.
fn walk_back<S>(layers: Vec<Vec<(S, usize)>>) -> Vec<S> {
    let mut path = Vec::with_capacity(layers.len());
    let mut at = 0;
    for mut layer in layers.into_iter().rev() {
        let (state, parent) = layer.swap_remove(at);
        path.push(state);
        at = parent;
    }
    path.reverse();
    path
}
