import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Weighted {
  name: string;
  weight: number;
}
export interface CategoryDomain extends Weighted {
  minAmount: number;
  maxAmount: number;
  merchants: { name: string; subCategory: string }[];
}
/** The value domains of the card CSV, from ddl/card-domain.json (shared with the Spark jobs). */
export interface CardDomain {
  categories: CategoryDomain[];
  cardTypes: Weighted[];
  creditCardType: string;
  approvalStatuses: Weighted[];
  regions: Weighted[];
  hourWeights: number[];
  installmentChoices: number[];
  installmentMinAmount: number;
  cardNoPattern: string;
  maxAmountWarn: number;
  declinedWarnRatio: number;
  nullFailRatio: number;
  /** What a CSV field holds for no value ('' and 'null'); any other text is a value. */
  nullTexts: string[];
  columns: string[];
}

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ddl/card-domain.json');
export const CARD_DOMAIN: CardDomain = JSON.parse(readFileSync(file, 'utf8')) as CardDomain;
