/**
 * Mutated RSA key inputs for the key-parser fuzzer (issue 6): a recipe from `recipeArb` applied
 * to one of `BASES`, with words that say what was done (printed when a case fails).
 */
import { BASES, type Mutated, type Recipe } from './key-bases.js';
import { mutateDer } from './key-edits-der.js';
import { mutateJwk, mutatePem } from './key-edits-text.js';

export { BASES, FIXTURES, KEY_TEXTS, PRIVATE_JWK, PUBLIC_JWK, recipeArb } from './key-bases.js';
export type { Mutated, Recipe } from './key-bases.js';

export function applyRecipe(recipe: Recipe): Mutated {
  const base = BASES[recipe.base % BASES.length];
  const log: string[] = [base.name];
  const input =
    base.kind === 'der'
      ? mutateDer(base, recipe, log)
      : base.kind === 'pem'
        ? mutatePem(base, recipe, log)
        : mutateJwk(base, recipe, log);
  return { input, description: log.join('; '), fromPrivate: base.private };
}
