export type NavigationItem = {
  section: 'main' | 'company' | 'account' | 'admin'
  label: string
  href: string
  icon: string | null
}

export type SharedProps = {
  appName: string
  errors: Record<string, string>
  navigation: NavigationItem[]
  user?: { id: number; email: string; name: string; isAdmin: boolean; emailVerified: boolean }
  currentCompany?: { id: number; name: string; role: string } | null
  companies?: Array<{ id: number; name: string; role: string }>
}

export type Flash = { success?: string; error?: string; token?: string }
