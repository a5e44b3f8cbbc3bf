import { ConflictError, ValidationError } from '../../services/errors.js';
import type { SettingsAuditEntry, SettingsDocument } from '../../services/ports.js';
import { SETTINGS_PK, settingsAuditPk, settingsAuditSk, settingsSk } from '../keys.js';
import { failedConditions } from './errors.js';
import type { Table } from './table.js';

/**
 * The largest body one settings document may have, as JSON in UTF-8. A DynamoDB item holds at
 * most 400 KB and the audit entry carries a copy of the body, so each item stays well under it.
 */
const MAX_SETTINGS_BYTES = 300 * 1024;

/**
 * Settings documents: one item per document under `SETTINGS` / `<name>` (one partition, so an
 * admin page can list them), each save's audit entry under `SETTINGS#<name>` / `AUDIT#<version>`,
 * written in the same transaction as the document. The body is kept as a JSON string: the store
 * never interprets it (the owning service validates it with its schema), and DynamoDB's map rules
 * (nesting depth, empty keys, number precision) never change what an editor saved.
 *
 * The read every runtime makes is this class alone, so form-intake's bundle (size goal,
 * docs/performance.md) carries no saves; `SettingsTable` adds them.
 */
export class SettingsReader {
  constructor(protected readonly db: Table) {}

  async getSettingsDocument(name: string): Promise<SettingsDocument | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: { pk: SETTINGS_PK, sk: settingsSk(name) }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    const item = result.Item;
    if (!item) return undefined;
    return { name, version: Number(item.version), body: JSON.parse(String(item.body)) as unknown, updatedAt: String(item.updatedAt), updatedBy: String(item.updatedBy) };
  }
}

/** Saves and audit trails of settings documents, beside the reads every runtime makes (`SettingsReader`). */
export class SettingsTable extends SettingsReader {
  async putSettingsDocument(document: SettingsDocument, expectedVersion: number, audit: SettingsAuditEntry): Promise<void> {
    const body = JSON.stringify(document.body);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_SETTINGS_BYTES) {
      throw new ValidationError(`The settings document ${document.name} is too large.`, [
        { field: '(body)', message: `${bytes} bytes as JSON; at most ${MAX_SETTINGS_BYTES} fit` },
      ]);
    }
    const condition =
      expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
    const { body: auditBody, ...auditFields } = audit;
    try {
      await this.db.call('TransactWriteItems', () =>
        this.db.send('TransactWriteItems', {
          TransactItems: [
            {
              Put: {
                TableName: this.db.tableName,
                Item: {
                  pk: SETTINGS_PK,
                  sk: settingsSk(document.name),
                  entity: 'settings',
                  name: document.name,
                  version: document.version,
                  body,
                  updatedAt: document.updatedAt,
                  updatedBy: document.updatedBy,
                },
                ...condition,
              },
            },
            {
              Put: {
                TableName: this.db.tableName,
                Item: { ...auditFields, body: JSON.stringify(auditBody), pk: settingsAuditPk(audit.name), sk: settingsAuditSk(audit.version), entity: 'settings-audit' },
              },
            },
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
    } catch (error) {
      if (!failedConditions(error)) throw error;
      throw new ConflictError(
        expectedVersion === 0 ? `settings ${document.name} already exist` : `settings ${document.name} changed since version ${expectedVersion}`,
        { cause: error, code: 'settings-changed' },
      );
    }
  }

  async settingsAudit(name: string, limit = 50): Promise<SettingsAuditEntry[]> {
    const result = await this.db.call('Query', () =>
      this.db.send('Query', {
        TableName: this.db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': settingsAuditPk(name), ':audit': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return (result.Items ?? []).map((item) => ({
      name,
      version: Number(item.version),
      at: String(item.at),
      by: String(item.by),
      changed: (item.changed as string[] | undefined) ?? [],
      body: JSON.parse(String(item.body)) as unknown,
      ...(typeof item.note === 'string' ? { note: item.note } : {}),
    }));
  }
}
