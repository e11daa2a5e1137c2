import { BaseSchema } from '@adonisjs/lucid/schema'
import { slugify } from '#accounts/services/slugs'

/*
| Companies get a stable, unique slug (operators name them in commands: `credits:grant acme 500`).
| Existing companies are backfilled from their names; renaming a company keeps its slug.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('companies', (table) => {
      table.string('slug', 80).nullable().unique()
    })
    this.defer(async (db) => {
      const taken = new Set<string>()
      const companies = await db.from('companies').select('id', 'name').orderBy('id')
      for (const company of companies) {
        const base = slugify(company.name)
        let slug = base
        for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`
        taken.add(slug)
        await db.from('companies').where('id', company.id).update({ slug })
      }
    })
  }

  async down() {
    this.schema.alterTable('companies', (table) => {
      table.dropUnique(['slug'])
      table.dropColumn('slug')
    })
  }
}
