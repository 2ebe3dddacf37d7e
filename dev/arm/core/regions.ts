/** Azure regions the emulator accepts (normalized names, as ARM returns them). */
export const regions = [
  'eastus',
  'eastus2',
  'westus',
  'westus2',
  'westus3',
  'centralus',
  'northcentralus',
  'southcentralus',
  'westcentralus',
  'canadacentral',
  'brazilsouth',
  'northeurope',
  'westeurope',
  'uksouth',
  'ukwest',
  'francecentral',
  'germanywestcentral',
  'swedencentral',
  'switzerlandnorth',
  'norwayeast',
  'polandcentral',
  'italynorth',
  'uaenorth',
  'southafricanorth',
  'centralindia',
  'southindia',
  'eastasia',
  'southeastasia',
  'japaneast',
  'japanwest',
  'koreacentral',
  'australiaeast',
  'australiasoutheast',
] as const;

/** `East US` → `eastus` (ARM accepts display names and returns the normalized name). */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

export function isKnownRegion(location: string): boolean {
  return (regions as readonly string[]).includes(normalizeLocation(location));
}
