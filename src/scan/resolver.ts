/**
 * Static resolution over the project's parsed files: which client library or client instance an
 * expression stands for, and what a string expression's value is, following const bindings, imports of
 * the project's own modules, destructuring, class fields and simple factory functions. It never runs code.
 */
import path from 'node:path';
import type * as TS from 'typescript';
import { hasPath, libraryOf, LIBRARIES, normalPath, type Library } from './libraries';
import { constantText, fullText, joinText, UNKNOWN_TEXT, type StaticText } from './text';
import type { TypeScript } from './typescript';

/** A client library (or one of its exports), a client made by one, or a module of the project. */
export type Value =
  | { readonly kind: 'module'; readonly library: Library; readonly path: readonly string[] }
  | { readonly kind: 'instance'; readonly library: Library; readonly base?: StaticText; readonly options?: Expr }
  | { readonly kind: 'global-fetch' }
  | { readonly kind: 'namespace'; readonly index: FileIndex };

/** An expression with the file it belongs to. */
export interface Expr {
  readonly node: TS.Expression;
  readonly index: FileIndex;
}

type Declaration =
  | { readonly kind: 'import'; readonly module: string; readonly name: string }
  | { readonly kind: 'variable'; readonly init: TS.Expression | undefined; readonly type: TS.TypeNode | undefined; readonly binding: readonly string[]; readonly constant: boolean }
  | { readonly kind: 'parameter'; readonly type: TS.TypeNode | undefined }
  | { readonly kind: 'function'; readonly node: TS.FunctionLikeDeclaration };

type Exported =
  | { readonly kind: 'local'; readonly name: string }
  | { readonly kind: 'expression'; readonly node: TS.Expression }
  | { readonly kind: 'reexport'; readonly module: string; readonly name: string };

interface ClassMembers {
  readonly inits: Map<string, TS.Expression[]>;
  readonly types: Map<string, TS.TypeNode>;
}

const MAX_DEPTH = 12;

/** One parsed file and what resolution needs of it: its scopes and its exports. */
export class FileIndex {
  readonly scopes = new Map<TS.Node, Map<string, Declaration>>();
  readonly exports = new Map<string, Exported>();
  readonly starExports: string[] = [];
  private readonly classes = new Map<TS.Node, ClassMembers>();

  constructor(
    readonly ts: TypeScript,
    readonly file: string,
    readonly sourceFile: TS.SourceFile,
  ) {
    this.collect(sourceFile);
  }

  text(node: TS.Node): string {
    return node.getText(this.sourceFile);
  }

  line(node: TS.Node): number {
    return this.sourceFile.getLineAndCharacterOfPosition(node.getStart(this.sourceFile)).line + 1;
  }

  private declare(scope: TS.Node, name: string, declaration: Declaration): void {
    let names = this.scopes.get(scope);
    if (names === undefined) this.scopes.set(scope, (names = new Map()));
    if (!names.has(name)) names.set(name, declaration);
  }

  private scopeOf(node: TS.Node): TS.Node {
    const ts = this.ts;
    for (let current = node.parent; current !== undefined; current = current.parent) {
      if (ts.isBlock(current) || ts.isSourceFile(current) || ts.isModuleBlock(current) || ts.isCaseBlock(current) || ts.isCatchClause(current) || ts.isFunctionLike(current)) return current;
      if (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current)) return current;
    }
    return this.sourceFile;
  }

  private bindNames(name: TS.BindingName, scope: TS.Node, make: (binding: readonly string[]) => Declaration, binding: readonly string[] = []): void {
    const ts = this.ts;
    if (ts.isIdentifier(name)) {
      this.declare(scope, name.text, make(binding));
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        if (element.dotDotDotToken !== undefined) continue;
        const key = element.propertyName ?? element.name;
        const step = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
        if (step === undefined) continue;
        this.bindNames(element.name, scope, make, [...binding, step]);
      }
    }
  }

  private collect(root: TS.SourceFile): void {
    const ts = this.ts;
    const visit = (node: TS.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const module = node.moduleSpecifier.text;
        const clause = node.importClause;
        if (clause !== undefined) {
          if (clause.name !== undefined) this.declare(root, clause.name.text, { kind: 'import', module, name: 'default' });
          const bindings = clause.namedBindings;
          if (bindings !== undefined && ts.isNamespaceImport(bindings)) this.declare(root, bindings.name.text, { kind: 'import', module, name: '*' });
          else if (bindings !== undefined) {
            for (const element of bindings.elements) this.declare(root, element.name.text, { kind: 'import', module, name: (element.propertyName ?? element.name).text });
          }
        }
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
        this.declare(root, node.name.text, { kind: 'import', module: node.moduleReference.expression.text, name: '*' });
      } else if (ts.isVariableDeclaration(node)) {
        const list = node.parent;
        const constant = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
        const exported = ts.isVariableDeclarationList(list) && ts.isVariableStatement(list.parent) && list.parent.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
        this.bindNames(node.name, this.scopeOf(node), (binding) => ({ kind: 'variable', init: node.initializer, type: node.type, binding, constant }));
        if (exported && ts.isIdentifier(node.name)) this.exports.set(node.name.text, { kind: 'local', name: node.name.text });
      } else if (ts.isParameter(node)) {
        this.bindNames(node.name, node.parent, () => ({ kind: 'parameter', type: node.type }));
      } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name !== undefined) {
        if (ts.isFunctionDeclaration(node)) this.declare(this.scopeOf(node), node.name.text, { kind: 'function', node });
        const modifiers = node.modifiers ?? [];
        if (modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
          const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
          this.exports.set(isDefault ? 'default' : node.name.text, { kind: 'local', name: node.name.text });
        }
      } else if (ts.isExportAssignment(node)) {
        this.exports.set('default', { kind: 'expression', node: node.expression });
      } else if (ts.isExportDeclaration(node)) {
        const module = node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
        if (node.exportClause === undefined) {
          if (module !== undefined) this.starExports.push(module);
        } else if (ts.isNamedExports(node.exportClause)) {
          for (const element of node.exportClause.elements) {
            const local = (element.propertyName ?? element.name).text;
            this.exports.set(element.name.text, module === undefined ? { kind: 'local', name: local } : { kind: 'reexport', module, name: local });
          }
        }
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        this.collectCommonJsExport(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
  }

  /** `module.exports = x`, `module.exports.a = x`, `exports.a = x`, `module.exports = { a, b: x }`. */
  private collectCommonJsExport(node: TS.BinaryExpression): void {
    const ts = this.ts;
    const target = node.left;
    const isModuleExports = (expression: TS.Expression): boolean =>
      ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === 'module' && expression.name.text === 'exports';
    if (isModuleExports(target)) {
      this.exports.set('default', { kind: 'expression', node: node.right });
      if (ts.isObjectLiteralExpression(node.right)) {
        for (const property of node.right.properties) {
          if (ts.isShorthandPropertyAssignment(property)) this.exports.set(property.name.text, { kind: 'local', name: property.name.text });
          else if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
            this.exports.set(property.name.text, { kind: 'expression', node: property.initializer });
          }
        }
      }
    } else if (ts.isPropertyAccessExpression(target) && (isModuleExports(target.expression) || (ts.isIdentifier(target.expression) && target.expression.text === 'exports'))) {
      this.exports.set(target.name.text, { kind: 'expression', node: node.right });
    }
  }

  /** The declaration an identifier refers to, by lexical scope. */
  lookup(identifier: TS.Identifier): Declaration | undefined {
    const name = identifier.text;
    for (let current: TS.Node | undefined = identifier.parent; current !== undefined; current = current.parent) {
      const found = this.scopes.get(current)?.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The fields of the class around `node` (declared, constructor parameters, `this.x = ...` assignments). */
  classMembers(node: TS.Node): ClassMembers | undefined {
    const ts = this.ts;
    let owner: TS.ClassLikeDeclaration | undefined;
    for (let current: TS.Node | undefined = node.parent; current !== undefined; current = current.parent) {
      if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) {
        owner = current;
        break;
      }
      if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
    }
    if (owner === undefined) return undefined;
    const cached = this.classes.get(owner);
    if (cached !== undefined) return cached;
    const members: ClassMembers = { inits: new Map(), types: new Map() };
    const addInit = (name: string, init: TS.Expression): void => {
      const list = members.inits.get(name) ?? [];
      list.push(init);
      members.inits.set(name, list);
    };
    for (const member of owner.members) {
      if (ts.isPropertyDeclaration(member) && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))) {
        if (member.initializer !== undefined) addInit(member.name.text, member.initializer);
        if (member.type !== undefined) members.types.set(member.name.text, member.type);
      } else if (ts.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) {
          if (ts.isIdentifier(parameter.name) && parameter.type !== undefined && (parameter.modifiers ?? []).length > 0) members.types.set(parameter.name.text, parameter.type);
        }
      }
    }
    const visit = (child: TS.Node): void => {
      if (
        ts.isBinaryExpression(child) &&
        child.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(child.left) &&
        child.left.expression.kind === ts.SyntaxKind.ThisKeyword
      ) {
        addInit(child.left.name.text, child.right);
      }
      if (!ts.isClassLike(child) || child === owner) ts.forEachChild(child, visit);
    };
    ts.forEachChild(owner, visit);
    this.classes.set(owner, members);
    return members;
  }
}

const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Every parsed file of the project, and resolution across them. */
export class ProjectIndex {
  private readonly files = new Map<string, FileIndex>();
  private readonly values = new Map<TS.Node, Value | undefined>();

  constructor(readonly ts: TypeScript) {}

  add(index: FileIndex): void {
    this.files.set(index.file, index);
  }

  get(file: string): FileIndex | undefined {
    return this.files.get(file);
  }

  /** The project file a relative specifier names (`./db`, `../db.js` for `db.ts`, `./lib` for `lib/index.ts`). */
  resolveModule(from: FileIndex, specifier: string): FileIndex | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from.file), specifier);
    const stem = base.replace(/\.[mc]?js$/, '');
    const candidates = [base, ...RESOLVE_EXTENSIONS.map((extension) => stem + extension), ...RESOLVE_EXTENSIONS.map((extension) => path.join(base, `index${extension}`))];
    for (const candidate of candidates) {
      const found = this.files.get(candidate);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------
  // Values

  /** The library, library export or client that `node` stands for, or undefined. */
  valueOf(node: TS.Expression, index: FileIndex, depth = 0): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (this.values.has(node)) return this.values.get(node);
    // Marked before resolving, so that a cycle of bindings resolves to nothing instead of looping.
    this.values.set(node, undefined);
    const value = this.resolveValue(node, index, depth);
    this.values.set(node, value);
    return value;
  }

  private resolveValue(node: TS.Expression, index: FileIndex, depth: number): Value | undefined {
    const ts = this.ts;
    const inner = unwrap(ts, node);
    if (ts.isIdentifier(inner)) {
      const declaration = index.lookup(inner);
      if (declaration === undefined) return inner.text === 'fetch' ? { kind: 'global-fetch' } : undefined;
      return this.declarationValue(declaration, index, depth + 1);
    }
    if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) {
      const name = ts.isPropertyAccessExpression(inner) ? inner.name.text : ts.isStringLiteral(inner.argumentExpression) ? inner.argumentExpression.text : undefined;
      if (name === undefined) return undefined;
      const object = unwrap(ts, inner.expression);
      if (object.kind === ts.SyntaxKind.ThisKeyword) return this.fieldValue(inner, name, index, depth + 1);
      if (ts.isIdentifier(object) && object.text === 'globalThis' && name === 'fetch') return { kind: 'global-fetch' };
      return this.member(this.valueOf(object, index, depth + 1), name, depth + 1);
    }
    if (ts.isCallExpression(inner)) return this.callValue(inner, index, depth + 1);
    if (ts.isNewExpression(inner)) return this.newValue(inner, index, depth + 1);
    return undefined;
  }

  private declarationValue(declaration: Declaration, index: FileIndex, depth: number): Value | undefined {
    switch (declaration.kind) {
      case 'import':
        return this.importValue(declaration.module, declaration.name, index, depth);
      case 'variable': {
        let value = declaration.init === undefined ? undefined : this.valueOf(declaration.init, index, depth);
        for (const step of declaration.binding) value = this.member(value, step, depth);
        return value ?? (declaration.type === undefined ? undefined : this.typeValue(declaration.type, index, depth));
      }
      case 'parameter':
        return declaration.type === undefined ? undefined : this.typeValue(declaration.type, index, depth);
      case 'function':
        return undefined;
    }
  }

  private importValue(module: string, name: string, index: FileIndex, depth: number): Value | undefined {
    const library = libraryOf(module);
    if (library !== undefined) return { kind: 'module', library, path: name === '*' || name === 'default' ? [] : [name] };
    const target = this.resolveModule(index, module);
    if (target === undefined) return undefined;
    if (name === '*') return { kind: 'namespace', index: target };
    return this.exportValue(target, name, depth);
  }

  /** The value a project file exports under `name`. */
  exportValue(index: FileIndex, name: string, depth: number, seen: Set<FileIndex> = new Set()): Value | undefined {
    if (depth > MAX_DEPTH || seen.has(index)) return undefined;
    seen.add(index);
    const exported = index.exports.get(name);
    if (exported === undefined) {
      for (const module of index.starExports) {
        const target = this.resolveModule(index, module);
        const value = target === undefined ? undefined : this.exportValue(target, name, depth + 1, seen);
        if (value !== undefined) return value;
      }
      return undefined;
    }
    switch (exported.kind) {
      case 'expression':
        return this.valueOf(exported.node, index, depth + 1);
      case 'reexport':
        return this.importValue(exported.module, exported.name, index, depth + 1);
      case 'local': {
        const declaration = index.scopes.get(index.sourceFile)?.get(exported.name);
        return declaration === undefined ? undefined : this.declarationValue(declaration, index, depth + 1);
      }
    }
  }

  private member(value: Value | undefined, name: string, depth: number): Value | undefined {
    if (value === undefined) return undefined;
    if (value.kind === 'module') return { kind: 'module', library: value.library, path: [...value.path, name] };
    if (value.kind === 'namespace') return this.exportValue(value.index, name, depth + 1) ?? (name === 'default' ? this.exportValue(value.index, 'default', depth + 1) : undefined);
    return undefined;
  }

  private fieldValue(access: TS.Node, name: string, index: FileIndex, depth: number): Value | undefined {
    const members = index.classMembers(access);
    if (members === undefined) return undefined;
    for (const init of members.inits.get(name) ?? []) {
      const value = this.valueOf(init, index, depth);
      if (value !== undefined) return value;
    }
    const type = members.types.get(name);
    return type === undefined ? undefined : this.typeValue(type, index, depth);
  }

  /** A client for a field, parameter or variable typed with one of a library's client types (`pool: Pool`). */
  typeValue(type: TS.TypeNode, index: FileIndex, depth: number): Value | undefined {
    const ts = this.ts;
    if (ts.isUnionTypeNode(type)) {
      for (const member of type.types) {
        const value = this.typeValue(member, index, depth + 1);
        if (value !== undefined) return value;
      }
      return undefined;
    }
    if (ts.isTypeQueryNode(type)) return undefined;
    if (!ts.isTypeReferenceNode(type)) return undefined;
    if (ts.isIdentifier(type.typeName) && type.typeName.text === 'ReturnType' && type.typeArguments?.length === 1) {
      const argument = type.typeArguments[0]!;
      if (ts.isTypeQueryNode(argument)) {
        const name = argument.exprName;
        const callee = ts.isIdentifier(name) ? this.valueOf(name, index, depth + 1) : undefined;
        if (callee?.kind === 'module' && hasPath(callee.library.factories, callee.path)) return { kind: 'instance', library: callee.library };
      }
      return undefined;
    }
    const steps: string[] = [];
    let name: TS.EntityName = type.typeName;
    while (ts.isQualifiedName(name)) {
      steps.unshift(name.right.text);
      name = name.left;
    }
    const declaration = index.lookup(name);
    if (declaration?.kind !== 'import') return undefined;
    const library = libraryOf(declaration.module);
    if (library === undefined) return undefined;
    const full = normalPath([...(declaration.name === '*' ? [] : [declaration.name]), ...steps]);
    const last = full[full.length - 1];
    // `import type Redis from 'ioredis'`: the default export of a library whose module is the client class.
    if (last === undefined) return hasPath(library.constructors, []) ? { kind: 'instance', library } : undefined;
    return library.instanceTypes?.includes(last) === true ? { kind: 'instance', library } : undefined;
  }

  private callValue(call: TS.CallExpression, index: FileIndex, depth: number): Value | undefined {
    const ts = this.ts;
    const callee = unwrap(ts, call.expression);
    const first = call.arguments[0];
    if (ts.isIdentifier(callee) && callee.text === 'require' && first !== undefined && ts.isStringLiteralLike(first) && index.lookup(callee) === undefined) {
      return this.importValue(first.text, '*', index, depth);
    }
    if (callee.kind === ts.SyntaxKind.ImportKeyword && first !== undefined && ts.isStringLiteralLike(first)) return this.importValue(first.text, '*', index, depth);
    // `fn.call(...)`-free calls only; a method of a client hands out a client when the library says so.
    if (ts.isPropertyAccessExpression(callee)) {
      const object = this.valueOf(callee.expression, index, depth);
      if (object?.kind === 'instance') {
        if (object.library.derive?.includes(callee.name.text) !== true) return undefined;
        const options = objectArgument(call, index, this);
        const base = object.library.id === 'got' && options !== undefined ? joinText(object.base ?? constantText(''), this.optionText(options, ['prefixUrl'], depth) ?? constantText('')) : object.base;
        return { kind: 'instance', library: object.library, ...(base === undefined ? {} : { base }), ...(options === undefined ? (object.options === undefined ? {} : { options: object.options }) : { options }) };
      }
    }
    const value = this.valueOf(callee, index, depth);
    if (value?.kind === 'module' && hasPath(value.library.factories, value.path)) return this.madeInstance(value.library, call, index, depth);
    if (value === undefined && (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee))) return this.returnedValue(callee, index, depth);
    return undefined;
  }

  private newValue(node: TS.NewExpression, index: FileIndex, depth: number): Value | undefined {
    const value = this.valueOf(node.expression, index, depth);
    if (value?.kind === 'module' && hasPath(value.library.constructors, value.path)) return this.madeInstance(value.library, node, index, depth);
    if (this.isGrpcClient(node, index, depth)) return this.madeInstance(GRPC, node, index, depth);
    return undefined;
  }

  /** A generated gRPC client: `new Service(address, grpc.credentials.createInsecure())`. */
  private isGrpcClient(node: TS.NewExpression, index: FileIndex, depth: number): boolean {
    const ts = this.ts;
    const credentials = node.arguments?.[1];
    if (credentials === undefined) return false;
    const call = unwrap(ts, credentials);
    const target = ts.isCallExpression(call) ? call.expression : call;
    const value = this.valueOf(target, index, depth);
    return value?.kind === 'module' && value.library === GRPC && normalPath(value.path)[0] === 'credentials';
  }

  /** A client made by a constructor or factory: its base URL (HTTP clients) and its options object. */
  private madeInstance(library: Library, call: TS.CallExpression | TS.NewExpression, index: FileIndex, depth: number): Value {
    const ts = this.ts;
    const args = call.arguments ?? [];
    const options = objectArgument(call, index, this);
    let base: StaticText | undefined;
    if (library.id === 'axios' && options !== undefined) base = this.optionText(options, ['baseURL'], depth);
    else if (library.id === 'got' && options !== undefined) base = this.optionText(options, ['prefixUrl'], depth);
    else if (library.domain !== 'http' || library.id === 'undici') {
      const first = args[0];
      if (first !== undefined && !ts.isObjectLiteralExpression(unwrap(ts, first))) base = this.textOf(first, index, depth);
      else if (options !== undefined) base = this.optionText(options, ['connectionString', 'url', 'uri', 'servers', 'brokers', 'host', 'hostname'], depth);
    }
    return { kind: 'instance', library, ...(base === undefined ? {} : { base }), ...(options === undefined ? {} : { options }) };
  }

  /** What a project function returns, when it returns a client (`export function db() { return pool; }`). */
  private returnedValue(callee: TS.Expression, index: FileIndex, depth: number): Value | undefined {
    const ts = this.ts;
    let declaration: Declaration | undefined;
    let home = index;
    if (ts.isIdentifier(callee)) declaration = index.lookup(callee);
    if (declaration?.kind === 'import') {
      const target = this.resolveModule(index, declaration.module);
      const exported = target?.exports.get(declaration.name);
      if (target === undefined || exported?.kind !== 'local') return undefined;
      home = target;
      declaration = target.scopes.get(target.sourceFile)?.get(exported.name);
    }
    let fn: TS.FunctionLikeDeclaration | undefined;
    if (declaration?.kind === 'function') fn = declaration.node;
    else if (declaration?.kind === 'variable' && declaration.init !== undefined) {
      const init = unwrap(ts, declaration.init);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) fn = init;
    }
    if (fn?.body === undefined) return undefined;
    if (!ts.isBlock(fn.body)) return this.valueOf(fn.body, home, depth + 1);
    let found: Value | undefined;
    const visit = (node: TS.Node): void => {
      if (found !== undefined || (ts.isFunctionLike(node) && node !== fn)) return;
      if (ts.isReturnStatement(node) && node.expression !== undefined) found = this.valueOf(node.expression, home, depth + 1);
      else ts.forEachChild(node, visit);
    };
    ts.forEachChild(fn.body, visit);
    return found;
  }

  // -------------------------------------------------------------------------------------------------
  // Objects and text

  /** The object literal an expression is (directly, or through const bindings and imports). */
  objectOf(node: TS.Expression, index: FileIndex, depth = 0): Expr | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const ts = this.ts;
    const inner = unwrap(ts, node);
    if (ts.isObjectLiteralExpression(inner)) return { node: inner, index };
    const resolved = this.binding(inner, index, depth + 1);
    return resolved === undefined ? undefined : this.objectOf(resolved.node, resolved.index, depth + 1);
  }

  /** The initializer of a property of an object literal (`{ baseURL: X }`, `{ baseURL }`). */
  property(object: Expr, name: string): Expr | undefined {
    const ts = this.ts;
    const literal = object.node as TS.ObjectLiteralExpression;
    for (let i = literal.properties.length - 1; i >= 0; i--) {
      const property = literal.properties[i]!;
      if (ts.isPropertyAssignment(property) && propertyName(ts, property.name) === name) return { node: property.initializer, index: object.index };
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return { node: property.name, index: object.index };
      if (ts.isSpreadAssignment(property)) {
        const spread = this.objectOf(property.expression, object.index);
        const found = spread === undefined ? undefined : this.property(spread, name);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  private optionText(options: Expr, names: readonly string[], depth: number): StaticText | undefined {
    for (const name of names) {
      const found = this.property(options, name);
      if (found === undefined) continue;
      const ts = this.ts;
      // A list of addresses (`brokers: BROKERS`, `servers: [...]`): the first one stands for all.
      let list: Expr = { node: unwrap(ts, found.node), index: found.index };
      if (ts.isIdentifier(list.node)) {
        const bound = this.binding(list.node, list.index, depth + 1);
        if (bound !== undefined && ts.isArrayLiteralExpression(unwrap(ts, bound.node))) list = { node: unwrap(ts, bound.node), index: bound.index };
      }
      if (ts.isArrayLiteralExpression(list.node)) {
        const first = list.node.elements[0];
        return first === undefined ? undefined : this.textOf(first, list.index, depth + 1);
      }
      return this.textOf(found.node, found.index, depth + 1);
    }
    return undefined;
  }

  /** The expression a const binding, imported name or object property stands for. */
  resolveBinding(node: TS.Expression, index: FileIndex): Expr | undefined {
    return this.binding(node, index, 0);
  }

  private binding(node: TS.Expression, index: FileIndex, depth: number): Expr | undefined {
    const ts = this.ts;
    if (ts.isIdentifier(node)) {
      const declaration = index.lookup(node);
      if (declaration?.kind === 'variable' && declaration.init !== undefined) {
        let current: Expr | undefined = { node: declaration.init, index };
        for (const step of declaration.binding) {
          const object: Expr | undefined = current === undefined ? undefined : this.objectOf(current.node, current.index, depth + 1);
          current = object === undefined ? undefined : this.property(object, step);
        }
        return current;
      }
      if (declaration?.kind === 'import') {
        const target = this.resolveModule(index, declaration.module);
        return target === undefined ? undefined : this.exportedExpression(target, declaration.name, depth + 1);
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(node)) {
      const object = unwrap(ts, node.expression);
      if (object.kind === ts.SyntaxKind.ThisKeyword) {
        const inits = index.classMembers(node)?.inits.get(node.name.text) ?? [];
        return inits.length === 1 ? { node: inits[0]!, index } : undefined;
      }
      if (ts.isIdentifier(object)) {
        const declaration = index.lookup(object);
        if (declaration?.kind === 'import' && declaration.name === '*') {
          const target = this.resolveModule(index, declaration.module);
          if (target !== undefined) return this.exportedExpression(target, node.name.text, depth + 1);
        }
      }
      const owner = this.objectOf(object, index, depth + 1);
      return owner === undefined ? undefined : this.property(owner, node.name.text);
    }
    return undefined;
  }

  private exportedExpression(index: FileIndex, name: string, depth: number): Expr | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const exported = index.exports.get(name);
    if (exported === undefined) {
      for (const module of index.starExports) {
        const target = this.resolveModule(index, module);
        const found = target === undefined ? undefined : this.exportedExpression(target, name, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (exported.kind === 'expression') return { node: exported.node, index };
    if (exported.kind === 'reexport') {
      const target = this.resolveModule(index, exported.module);
      return target === undefined ? undefined : this.exportedExpression(target, exported.name, depth + 1);
    }
    const declaration = index.scopes.get(index.sourceFile)?.get(exported.name);
    return declaration?.kind === 'variable' && declaration.init !== undefined && declaration.binding.length === 0 ? { node: declaration.init, index } : undefined;
  }

  /** The value of a string expression, as far as it is static. */
  textOf(node: TS.Expression, index: FileIndex, depth = 0): StaticText {
    const ts = this.ts;
    const inner = unwrap(ts, node);
    const unknown = (): StaticText => UNKNOWN_TEXT(index.text(inner));
    if (depth > MAX_DEPTH) return unknown();
    if (ts.isStringLiteralLike(inner)) return constantText(inner.text);
    if (ts.isNumericLiteral(inner)) return constantText(inner.text);
    if (ts.isTemplateExpression(inner)) {
      const texts = [constantText(inner.head.text)];
      for (const span of inner.templateSpans) texts.push(this.textOf(span.expression, index, depth + 1), constantText(span.literal.text));
      return joinText(...texts);
    }
    if (ts.isBinaryExpression(inner)) {
      const operator = inner.operatorToken.kind;
      if (operator === ts.SyntaxKind.PlusToken) return joinText(this.textOf(inner.left, index, depth + 1), this.textOf(inner.right, index, depth + 1));
      if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) {
        const left = this.textOf(inner.left, index, depth + 1);
        if (left.parts.some((part) => 'text' in part)) return left;
        const right = this.textOf(inner.right, index, depth + 1);
        const env = envName(ts, inner.left);
        return { parts: right.parts, env: env === undefined ? right.env : [...new Set([env, ...right.env])] };
      }
      return unknown();
    }
    if (ts.isNewExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === 'URL' && inner.arguments !== undefined && inner.arguments.length > 0) {
      const relative = this.textOf(inner.arguments[0]!, index, depth + 1);
      const base = inner.arguments[1];
      if (base === undefined || /^[a-z][a-z0-9+.-]*:/i.test(fullText(relative) ?? ('text' in (relative.parts[0] ?? {}) ? (relative.parts[0] as { text: string }).text : ''))) return relative;
      return joinText(this.textOf(base, index, depth + 1), relative);
    }
    if (ts.isCallExpression(inner)) {
      const callee = inner.expression;
      if (ts.isIdentifier(callee) && callee.text === 'String' && inner.arguments.length === 1) return this.textOf(inner.arguments[0]!, index, depth + 1);
      if (ts.isPropertyAccessExpression(callee) && ['toString', 'trim'].includes(callee.name.text) && inner.arguments.length === 0) return this.textOf(callee.expression, index, depth + 1);
      return unknown();
    }
    if (ts.isPropertyAccessExpression(inner) && ['href', 'origin'].includes(inner.name.text)) {
      const owner = this.textOf(inner.expression, index, depth + 1);
      if (owner.parts.some((part) => 'text' in part)) return owner;
    }
    const env = envName(ts, inner);
    if (env !== undefined) return { parts: [{ dynamic: index.text(inner) }], env: [env] };
    const resolved = this.binding(inner, index, depth + 1);
    return resolved === undefined ? unknown() : this.textOf(resolved.node, resolved.index, depth + 1);
  }
}

const GRPC = LIBRARIES.find((library) => library.id === '@grpc/grpc-js') as Library;

/** `process.env.NAME` or `process.env['NAME']`: NAME. */
function envName(ts: TypeScript, node: TS.Expression): string | undefined {
  const inner = unwrap(ts, node);
  if (!ts.isPropertyAccessExpression(inner) && !ts.isElementAccessExpression(inner)) return undefined;
  const owner = inner.expression;
  if (!ts.isPropertyAccessExpression(owner) || owner.name.text !== 'env' || !ts.isIdentifier(owner.expression) || owner.expression.text !== 'process') return undefined;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  return ts.isStringLiteral(inner.argumentExpression) ? inner.argumentExpression.text : undefined;
}

/** The expression without parentheses, `await`, type assertions, `!` and `satisfies`. */
export function unwrap(ts: TypeScript, node: TS.Expression): TS.Expression {
  let current = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAwaitExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)) {
      current = current.expression;
    } else if (ts.isSatisfiesExpression?.(current)) {
      current = current.expression;
    } else return current;
  }
}

export function propertyName(ts: TypeScript, name: TS.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name) ? name.text : undefined;
}

/** The first argument of a call that is (or names) an object literal. */
export function objectArgument(call: TS.CallExpression | TS.NewExpression, index: FileIndex, project: ProjectIndex): Expr | undefined {
  for (const argument of call.arguments ?? []) {
    const found = project.objectOf(argument, index);
    if (found !== undefined) return found;
  }
  return undefined;
}
