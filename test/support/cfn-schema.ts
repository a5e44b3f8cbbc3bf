import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { PropertyType, ResourceProperties, SpecDatabase } from '@aws-cdk/service-spec-types';

/**
 * Validates synthesised CloudFormation templates against the CloudFormation resource schemas
 * (the registry's, as packaged in @aws-cdk/aws-service-spec): every resource type exists, every
 * property is one the type has, every required property is set, and every literal value has the
 * property's type, down through nested property types. Intrinsic functions (Ref, Fn::*) are
 * accepted where any value is, since their type is only known at deploy time.
 */

let database: SpecDatabase | undefined;
const spec = (): SpecDatabase => (database ??= loadAwsServiceSpecSync());

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

export interface SchemaReport {
  /** Resources checked against a schema (custom resources and CDK metadata are not in the registry). */
  checked: number;
  types: Set<string>;
  issues: string[];
}

const isIntrinsic = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
};

function checkValue(db: SpecDatabase, value: unknown, type: PropertyType, path: string, issues: string[]): void {
  if (isIntrinsic(value)) return;
  const fail = (expected: string): void => void issues.push(`${path}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}`);
  switch (type.type) {
    case 'string':
    case 'date-time':
      // CloudFormation reads numbers and booleans where strings are expected.
      if (!['string', 'number', 'boolean'].includes(typeof value)) fail(type.type);
      return;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) fail(type.type);
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') fail('boolean');
      return;
    case 'json':
    case 'null':
      return;
    case 'tag':
      if (typeof value !== 'object' || value === null || !('Key' in value) || !('Value' in value)) fail('a tag {Key, Value}');
      return;
    case 'array':
      if (!Array.isArray(value)) return fail('a list');
      value.forEach((element, i) => checkValue(db, element, type.element, `${path}[${i}]`, issues));
      return;
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('a map');
      for (const [key, element] of Object.entries(value)) checkValue(db, element, type.element, `${path}.${key}`, issues);
      return;
    case 'union': {
      const passes = type.types.some((member) => {
        const trial: string[] = [];
        checkValue(db, value, member, path, trial);
        return trial.length === 0;
      });
      if (!passes) fail(`one of ${type.types.map((member) => member.type).join(' | ')}`);
      return;
    }
    case 'ref': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('an object');
      const definition = db.get('typeDefinition', type.reference);
      checkProperties(db, value as Record<string, unknown>, definition.properties, path, issues);
      return;
    }
  }
}

function checkProperties(db: SpecDatabase, values: Record<string, unknown>, properties: ResourceProperties, path: string, issues: string[]): void {
  for (const [name, value] of Object.entries(values)) {
    const property = properties[name];
    if (!property) {
      issues.push(`${path}.${name}: not a property of this type`);
      continue;
    }
    // A property whose type changed over time accepts any of its types.
    const types = [property.type, ...(property.previousTypes ?? [])];
    const trials = types.map((type) => {
      const trial: string[] = [];
      checkValue(db, value, type, `${path}.${name}`, trial);
      return trial;
    });
    if (!trials.some((trial) => trial.length === 0)) issues.push(...trials[0]!);
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in values)) issues.push(`${path}.${name}: required but missing`);
  }
}

export function validateTemplate(template: Template): SchemaReport {
  const db = spec();
  const report: SchemaReport = { checked: 0, types: new Set(), issues: [] };
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CDK::Metadata') continue;
    const found = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (found.length === 0) {
      report.issues.push(`${logicalId}: unknown resource type ${resource.Type}`);
      continue;
    }
    report.checked += 1;
    report.types.add(resource.Type);
    checkProperties(db, resource.Properties ?? {}, found[0]!.properties, `${logicalId} (${resource.Type})`, report.issues);
  }
  return report;
}
