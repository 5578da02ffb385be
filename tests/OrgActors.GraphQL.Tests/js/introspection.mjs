// Usage:
//   node introspection.mjs query          -> prints getIntrospectionQuery() with every option on
//   node introspection.mjs build <file>   -> buildClientSchema(result.data) and prints printSchema()
import { readFileSync } from 'node:fs';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';

const [mode, file] = process.argv.slice(2);
if (mode === 'query') {
  process.stdout.write(getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  }));
} else if (mode === 'build') {
  const result = JSON.parse(readFileSync(file, 'utf8'));
  if (result.errors) throw new Error('Introspection returned errors: ' + JSON.stringify(result.errors));
  const schema = buildClientSchema(result.data, { assumeValid: false });
  process.stdout.write(printSchema(schema));
} else {
  throw new Error('unknown mode ' + mode);
}
