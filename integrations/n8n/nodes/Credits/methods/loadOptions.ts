import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { creditsApiRequest, isSuccess } from '../transport';

/** The catalog's operations, for the Catalog Operation list. */
export async function getCatalogOperations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
  const response = await creditsApiRequest(this, 'getCatalog', 'GET', '/v1/catalog');
  if (!isSuccess(response)) return [];
  return (response.body.operations ?? []).map((op) => ({
    name: `${String(op.name ?? op.key)} (${String(op.key)})`,
    value: String(op.key),
  }));
}
