/*
| Turns config/modules.ts into the list of enabled modules, in dependency order, and refuses a
| configuration where an enabled module needs a disabled one.
*/
export type ModuleDefinition = {
  description: string
  dependsOn?: string[]
  /** A required module cannot be disabled (the rest of the app is built on it). */
  required?: boolean
}

export type ModulesInput = {
  modules: Record<string, ModuleDefinition>
  /** Comma-separated allow-list; unset or empty means every module. */
  only?: string
  /** Comma-separated deny-list, applied after `only`. */
  disabled?: string
}

export type ModulesConfig = {
  all: Array<ModuleDefinition & { name: string; enabled: boolean }>
  enabled: string[]
  isEnabled(name: string): boolean
}

export class ModulesConfigError extends Error {
  name = 'ModulesConfigError'
}

function parseList(value?: string) {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

export function defineModules(input: ModulesInput): ModulesConfig {
  const names = Object.keys(input.modules)
  const only = parseList(input.only)
  const disabled = parseList(input.disabled)

  for (const name of [...only, ...disabled]) {
    if (!names.includes(name)) {
      throw new ModulesConfigError(`Unknown module "${name}". Known modules: ${names.join(', ')}`)
    }
  }

  const isOn = (name: string) =>
    input.modules[name].required ||
    ((only.length === 0 || only.includes(name)) && !disabled.includes(name))

  const enabled = names.filter(isOn)
  for (const name of enabled) {
    const missing = (input.modules[name].dependsOn ?? []).filter((dep) => !enabled.includes(dep))
    if (missing.length) {
      throw new ModulesConfigError(
        `Module "${name}" needs ${missing.map((dep) => `"${dep}"`).join(', ')}, which is disabled`
      )
    }
  }

  return {
    all: names.map((name) => ({ name, ...input.modules[name], enabled: enabled.includes(name) })),
    enabled,
    isEnabled: (name) => enabled.includes(name),
  }
}
