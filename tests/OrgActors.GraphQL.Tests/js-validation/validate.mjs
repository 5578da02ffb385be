// Usage: node validate.mjs <input.json>
// input:  { "sdl": "...", "cases": [ { "rule": "ValuesOfCorrectTypeRule" | "specifiedRules", "document": "..." } ] }
// output: one entry per case: [ "message line:column ...", ... ], or { "error": "..." } when graphql-js threw.
import { readFileSync } from 'node:fs';
import * as graphql from 'graphql';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const schema = graphql.buildSchema(input.sdl);
const schemaErrors = graphql.validateSchema(schema);
if (schemaErrors.length > 0) throw new Error('graphql-js rejects the schema: ' + schemaErrors.map((e) => e.message).join('; '));

const describe = (error) => error.message + (error.locations ?? []).map((l) => ` ${l.line}:${l.column}`).join('');

const results = input.cases.map(({ rule, document }) => {
  const rules = rule === 'specifiedRules' ? graphql.specifiedRules : [graphql[rule]];
  if (rules.some((r) => typeof r !== 'function')) return { error: `graphql-js has no rule ${rule}` };
  try {
    return graphql.validate(schema, graphql.parse(document), rules).map(describe);
  } catch (error) {
    return { error: String(error && error.message) };
  }
});
process.stdout.write(JSON.stringify(results));
