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

/** The catalog's credit packages, for the Package list of Request Purchase. */
export async function getCatalogPackages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
  const response = await creditsApiRequest(this, 'getCatalog', 'GET', '/v1/catalog');
  if (!isSuccess(response)) return [];
  return (response.body.packages ?? []).map((pkg) => ({
    name: `${String(pkg.name ?? pkg.key)} (${String(pkg.credits)} credits, ${String(pkg.price)} ${String(pkg.currency)})`,
    value: String(pkg.key),
  }));
}
