import { invalidArgument } from '../errors';

/** Container ids and checkpoint names become path components: no '/', no '..'. */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function isValidName(name: string): boolean {
  return NAME_RE.test(name) && !name.includes('..');
}

export function checkContainerId(id: string): string {
  if (!id) throw invalidArgument('container id is empty');
  if (!isValidName(id)) throw invalidArgument(`container id ${JSON.stringify(id)} is invalid: want ${NAME_RE.source} without ".."`);
  return id;
}

export function checkCheckpointName(name: string): string {
  if (!name) throw invalidArgument('checkpoint name is empty');
  if (!isValidName(name)) throw invalidArgument(`checkpoint name ${JSON.stringify(name)} is invalid: want ${NAME_RE.source} without ".."`);
  return name;
}
