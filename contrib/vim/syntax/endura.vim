" Vim syntax file
" Language:	Endura rules, endura-rules(5)
" Filenames:	*.rules (see ftdetect/endura.vim)
" SPDX-License-Identifier: GPL-2.0-only
"
" Keywords of the rule language are contextual: a table may be called "table", "uid log" is the
" user named log. So keywords are recognised only where the grammar puts them: each statement
" names what may follow it (nextgroup), and table, chain and set bodies are regions that hold
" only their own items. A name or a value in a keyword's place is highlighted as a name or value.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
" bodies nest and rules files are short: always parse from the first line
syn sync fromstart
" the characters of a word of the language, so that \< and \> see /srv/log as one word
syn iskeyword @,48-57,_,192-255,-,.,/,+,:,~,@-@

" --- everywhere ---------------------------------------------------------------------------------

syn keyword enduraTodo		contained TODO FIXME XXX NOTE
syn match   enduraHandleNote	contained "\<handle\s\+\d\+\s*$"
syn match   enduraComment	"#.*$" contains=enduraTodo,enduraHandleNote
syn match   enduraSeparator	";"
syn match   enduraComma		contained ","

" a quoted string: \" and \\ are escapes; it ends at the end of the line
syn match   enduraEscape	contained +\\["\\]+
syn region  enduraString	contained start=+"+ skip=+\\\\\|\\"+ end=+"+ excludenl end=+$+ oneline contains=enduraEscape

" --- values -------------------------------------------------------------------------------------

syn match   enduraVariable	contained "\$[A-Za-z_][A-Za-z0-9_.-]*"
syn match   enduraSetRef	contained +@\%("\%([^"\\]\|\\.\)*"\|[^[:space:]{};,#"=]\+\)+
syn match   enduraWord		contained +[^[:space:]{};,#"=$@!][^[:space:]{};,#"=]*+
syn match   enduraPath		contained +/[^[:space:]{};,#"=]*+
syn match   enduraNumber	contained "\<\d\+\>"
syn cluster enduraValue		contains=enduraString,enduraVariable,enduraSetRef,enduraWord,enduraPath,enduraNumber,enduraList
syn cluster enduraScalar	contains=enduraString,enduraVariable,enduraWord,enduraPath,enduraNumber

" { value, ... }: over several lines, with comments
syn region  enduraList		contained matchgroup=enduraBrace start="{" end="}" contains=@enduraScalar,enduraComma,enduraComment
" the access modes, alone or in a list
syn keyword enduraAccessMode	contained read write exec create delete rename link attr mount
syn region  enduraAccessList	contained matchgroup=enduraBrace start="{" end="}" contains=enduraAccessMode,enduraVariable,enduraComma,enduraComment
" the capabilities of capabilities(7), alone or in a list
syn keyword enduraCapability	contained cap_chown cap_dac_override cap_dac_read_search cap_fowner cap_fsetid cap_kill
syn keyword enduraCapability	contained cap_setgid cap_setuid cap_setpcap cap_linux_immutable cap_net_bind_service
syn keyword enduraCapability	contained cap_net_broadcast cap_net_admin cap_net_raw cap_ipc_lock cap_ipc_owner
syn keyword enduraCapability	contained cap_sys_module cap_sys_rawio cap_sys_chroot cap_sys_ptrace cap_sys_pacct
syn keyword enduraCapability	contained cap_sys_admin cap_sys_boot cap_sys_nice cap_sys_resource cap_sys_time
syn keyword enduraCapability	contained cap_sys_tty_config cap_mknod cap_lease cap_audit_write cap_audit_control
syn keyword enduraCapability	contained cap_setfcap cap_mac_override cap_mac_admin cap_syslog cap_wake_alarm
syn keyword enduraCapability	contained cap_block_suspend cap_audit_read cap_perfmon cap_bpf cap_checkpoint_restore
syn region  enduraCapabilityList	contained matchgroup=enduraBrace start="{" end="}" contains=enduraCapability,enduraVariable,enduraComma,enduraComment
" the commands of bpf(2), alone or in a list
syn keyword enduraBpfCommand	contained map_create map_lookup_elem map_update_elem map_delete_elem map_get_next_key
syn keyword enduraBpfCommand	contained prog_load obj_pin obj_get prog_attach prog_detach prog_test_run
syn keyword enduraBpfCommand	contained prog_get_next_id map_get_next_id prog_get_fd_by_id map_get_fd_by_id
syn keyword enduraBpfCommand	contained obj_get_info_by_fd prog_query raw_tracepoint_open btf_load btf_get_fd_by_id
syn keyword enduraBpfCommand	contained task_fd_query map_lookup_and_delete_elem map_freeze btf_get_next_id
syn keyword enduraBpfCommand	contained map_lookup_batch map_lookup_and_delete_batch map_update_batch map_delete_batch
syn keyword enduraBpfCommand	contained link_create link_update link_get_fd_by_id link_get_next_id enable_stats
syn keyword enduraBpfCommand	contained iter_create link_detach prog_bind_map token_create
syn region  enduraBpfCommandList	contained matchgroup=enduraBrace start="{" end="}" contains=enduraBpfCommand,enduraVariable,enduraComma,enduraComment
" where a kernel module comes from, alone or in a list
syn keyword enduraModuleSource	contained file memory request
syn region  enduraModuleSourceList	contained matchgroup=enduraBrace start="{" end="}" contains=enduraModuleSource,enduraVariable,enduraComma,enduraComment
" the signals of kill -l in lower case, or numbers, alone or in a list
syn keyword enduraSignal	contained hup int quit ill trap abrt bus fpe kill usr1 segv usr2 pipe alrm term
syn keyword enduraSignal	contained stkflt chld cont stop tstp ttin ttou urg xcpu xfsz vtalrm prof winch io
syn keyword enduraSignal	contained pwr sys
syn region  enduraSignalList	contained matchgroup=enduraBrace start="{" end="}" contains=enduraSignal,enduraNumber,enduraVariable,enduraComma,enduraComment

syn match   enduraOperator	contained "==\|!=" nextgroup=@enduraValue skipwhite
syn match   enduraAccessOp	contained "==\|!=" nextgroup=enduraAccessMode,enduraAccessList,enduraVariable skipwhite
syn match   enduraCapabilityOp	contained "==\|!=" nextgroup=enduraCapability,enduraCapabilityList,enduraVariable skipwhite
syn match   enduraBpfCommandOp	contained "==\|!=" nextgroup=enduraBpfCommand,enduraBpfCommandList,enduraVariable skipwhite
syn match   enduraModuleSourceOp	contained "==\|!=" nextgroup=enduraModuleSource,enduraModuleSourceList,enduraVariable skipwhite
syn match   enduraSignalOp	contained "==\|!=" nextgroup=enduraSignal,enduraSignalList,enduraNumber,enduraVariable skipwhite
syn match   enduraAssign	contained "=" nextgroup=@enduraValue skipwhite

" --- rules: matches, statements, verdicts ------------------------------------------------------

syn keyword enduraField		contained path exe uid target nextgroup=enduraVmap,enduraOperator,@enduraValue skipwhite
" path vmap { /usr/bin/curl : deny, ... }
syn keyword enduraVmap		contained vmap nextgroup=enduraVmapList skipwhite
syn region  enduraVmapList	contained matchgroup=enduraBrace start="{" end="}" contains=@enduraScalar,enduraVmapColon,enduraVerdict,enduraComma,enduraComment
syn match   enduraVmapColon	contained "\s\zs:\ze\s"
syn keyword enduraField		contained access nextgroup=enduraAccessOp,enduraAccessMode,enduraAccessList,enduraVariable skipwhite
syn keyword enduraField		contained capability nextgroup=enduraCapabilityOp,enduraCapability,enduraCapabilityList,enduraVariable skipwhite
syn keyword enduraField		contained command nextgroup=enduraBpfCommandOp,enduraBpfCommand,enduraBpfCommandList,enduraVariable skipwhite
syn keyword enduraField		contained source nextgroup=enduraModuleSourceOp,enduraModuleSource,enduraModuleSourceList,enduraVariable skipwhite
syn keyword enduraField		contained signal nextgroup=enduraSignalOp,enduraSignal,enduraSignalList,enduraNumber,enduraVariable skipwhite
syn keyword enduraStatement	contained counter nextgroup=enduraHits skipwhite
syn keyword enduraHits		contained hits nextgroup=enduraNumber skipwhite
syn keyword enduraStatement	contained log
syn keyword enduraStatement	contained comment nextgroup=enduraString,enduraCommentText skipwhite
syn match   enduraCommentText	contained +[^[:space:]{};,#"]\++
syn keyword enduraVerdict	contained accept deny
syn cluster enduraRule		contains=enduraField,enduraStatement,enduraVerdict,enduraComment

" --- names ---------------------------------------------------------------------------------------
" One group per place, each naming what may follow it. A name is a word or a quoted string.

let s:name = '+\%("\%([^"\\]\|\\.\)*"\|[^[:space:]{};,#"=$@][^[:space:]{};,#"=]*\)+'
function! s:Name(group, ...) abort
  let next = a:0 ? ' nextgroup=' . a:1 . ' skipwhite' : ''
  execute 'syn match ' . a:group . ' contained ' . s:name . next
  execute 'hi def link ' . a:group . ' enduraName'
endfunction

" table NAME { ... }
call s:Name('enduraTableName', 'enduraTableBody')
" chain NAME { ... }, set NAME { ... }, in a table body
call s:Name('enduraChainName', 'enduraChainBody')
call s:Name('enduraSetName', 'enduraSetBody')
" add chain TABLE NAME [{ ... }], add set TABLE NAME { ... }
call s:Name('enduraAddChainTable', 'enduraChainName')
call s:Name('enduraAddSetTable', 'enduraSetName')
" add|insert rule TABLE CHAIN [position N] rule...
call s:Name('enduraAddRuleTable', 'enduraAddRuleChain')
call s:Name('enduraAddRuleChain', 'enduraPosition,enduraRuleLine')
" replace rule TABLE CHAIN handle N rule...
call s:Name('enduraReplaceTable', 'enduraReplaceChain')
call s:Name('enduraReplaceChain', 'enduraReplaceHandle')
" add|delete element TABLE SET values
call s:Name('enduraElementTable', 'enduraElementSet')
call s:Name('enduraElementSet', '@enduraValue')
" delete|flush table NAME, delete|flush chain TABLE NAME, delete set TABLE NAME
call s:Name('enduraTargetName')
call s:Name('enduraTargetTable', 'enduraTargetName')
" delete rule TABLE CHAIN handle N
call s:Name('enduraDeleteRuleTable', 'enduraDeleteRuleChain')
call s:Name('enduraDeleteRuleChain', 'enduraHandle')
delfunction s:Name

syn match   enduraDefineName	contained "[A-Za-z_][A-Za-z0-9_.-]*" nextgroup=enduraAssign skipwhite
syn match   enduraUndefineName	contained "[A-Za-z_][A-Za-z0-9_.-]*"
syn keyword enduraHandle	contained handle nextgroup=enduraNumber skipwhite
syn keyword enduraPosition	contained position nextgroup=enduraPlaceNumber skipwhite
syn keyword enduraReplaceHandle	contained handle nextgroup=enduraPlaceNumber skipwhite
syn match   enduraPlaceNumber	contained "\<\d\+\>" nextgroup=enduraRuleLine skipwhite

" --- bodies --------------------------------------------------------------------------------------

syn region  enduraTableBody	contained matchgroup=enduraBrace start="{" end="}" contains=enduraTableItem,enduraSeparator,enduraComment
syn keyword enduraTableItem	contained mode nextgroup=enduraMode skipwhite
syn keyword enduraTableItem	contained chain nextgroup=enduraChainName skipwhite
syn keyword enduraTableItem	contained set nextgroup=enduraSetName skipwhite
syn keyword enduraTableItem	contained comment nextgroup=enduraString,enduraCommentText skipwhite
syn keyword enduraMode		contained enforce audit

syn region  enduraSetBody	contained matchgroup=enduraBrace start="{" end="}" contains=enduraSetItem,enduraSeparator,enduraComment
syn keyword enduraSetItem	contained type nextgroup=enduraSetType skipwhite
syn keyword enduraSetItem	contained elements nextgroup=enduraAssign skipwhite
syn keyword enduraSetItem	contained comment nextgroup=enduraString,enduraCommentText skipwhite
syn keyword enduraSetType	contained path uid ipv4_addr ipv6_addr inet_service

syn region  enduraChainBody	contained matchgroup=enduraBrace start="{" end="}" contains=enduraChainItem,@enduraRule,enduraSeparator
syn keyword enduraChainItem	contained hook nextgroup=enduraHook skipwhite
syn keyword enduraChainItem	contained policy nextgroup=enduraPolicy skipwhite
syn keyword enduraHook		contained exec file_open capable bpf module signal
syn keyword enduraPolicy	contained accept deny

" the rule of `add rule TABLE CHAIN ...`: to the end of the line or the next ';'
syn region  enduraRuleLine	contained start="\S" end="$" end="[;#]"me=s-1 contains=@enduraRule

" --- statements ----------------------------------------------------------------------------------

syn keyword enduraKeyword	table nextgroup=enduraTableName skipwhite
syn keyword enduraDefine	define redefine nextgroup=enduraDefineName skipwhite
syn keyword enduraDefine	undefine nextgroup=enduraUndefineName skipwhite
syn keyword enduraInclude	include nextgroup=enduraString skipwhite

syn keyword enduraKeyword	add nextgroup=enduraAddObject skipwhite
syn keyword enduraAddObject	contained table nextgroup=enduraTableName skipwhite
syn keyword enduraAddObject	contained chain nextgroup=enduraAddChainTable skipwhite
syn keyword enduraAddObject	contained set nextgroup=enduraAddSetTable skipwhite
syn keyword enduraAddObject	contained rule nextgroup=enduraAddRuleTable skipwhite
syn keyword enduraAddObject	contained element nextgroup=enduraElementTable skipwhite

syn keyword enduraKeyword	insert nextgroup=enduraInsertObject skipwhite
syn keyword enduraInsertObject	contained rule nextgroup=enduraAddRuleTable skipwhite
syn keyword enduraKeyword	replace nextgroup=enduraReplaceObject skipwhite
syn keyword enduraReplaceObject	contained rule nextgroup=enduraReplaceTable skipwhite

syn keyword enduraKeyword	delete nextgroup=enduraDeleteObject skipwhite
syn keyword enduraDeleteObject	contained table nextgroup=enduraTargetName skipwhite
syn keyword enduraDeleteObject	contained chain set nextgroup=enduraTargetTable skipwhite
syn keyword enduraDeleteObject	contained rule nextgroup=enduraDeleteRuleTable skipwhite
syn keyword enduraDeleteObject	contained element nextgroup=enduraElementTable skipwhite

syn keyword enduraKeyword	flush nextgroup=enduraFlushObject skipwhite
syn keyword enduraFlushObject	contained ruleset
syn keyword enduraFlushObject	contained table nextgroup=enduraTargetName skipwhite
syn keyword enduraFlushObject	contained chain nextgroup=enduraTargetTable skipwhite

" --- colours -------------------------------------------------------------------------------------

hi def link enduraComment	Comment
hi def link enduraTodo		Todo
hi def link enduraHandleNote	SpecialComment
hi def link enduraKeyword	Statement
hi def link enduraDefine	Define
hi def link enduraInclude	Include
hi def link enduraAddObject	enduraKeyword
hi def link enduraDeleteObject	enduraKeyword
hi def link enduraFlushObject	enduraKeyword
hi def link enduraInsertObject	enduraKeyword
hi def link enduraReplaceObject	enduraKeyword
hi def link enduraTableItem	enduraKeyword
hi def link enduraSetItem	Keyword
hi def link enduraChainItem	Keyword
hi def link enduraHandle	Keyword
hi def link enduraPosition	Keyword
hi def link enduraReplaceHandle	Keyword
hi def link enduraPlaceNumber	Number
hi def link enduraUndefineName	Identifier
hi def link enduraName		Identifier
hi def link enduraDefineName	Identifier
hi def link enduraMode		Constant
hi def link enduraSetType	Type
hi def link enduraHook		Type
hi def link enduraPolicy	enduraVerdict
hi def link enduraField		Function
hi def link enduraVmap		Keyword
hi def link enduraVmapColon	Operator
hi def link enduraStatement	Statement
hi def link enduraHits		Statement
hi def link enduraVerdict	Special
hi def link enduraAccessMode	Constant
hi def link enduraCapability	Constant
hi def link enduraBpfCommand	Constant
hi def link enduraModuleSource	Constant
hi def link enduraSignal	Constant
hi def link enduraOperator	Operator
hi def link enduraAccessOp	Operator
hi def link enduraCapabilityOp	Operator
hi def link enduraBpfCommandOp	Operator
hi def link enduraModuleSourceOp	Operator
hi def link enduraSignalOp	Operator
hi def link enduraAssign	Operator
hi def link enduraSeparator	Delimiter
hi def link enduraComma		Delimiter
hi def link enduraBrace		Delimiter
hi def link enduraString	String
hi def link enduraCommentText	String
hi def link enduraEscape	SpecialChar
hi def link enduraVariable	PreProc
hi def link enduraSetRef	Special
hi def link enduraPath		Constant
hi def link enduraNumber	Number
hi def link enduraWord		Constant

let b:current_syntax = 'endura'

let &cpo = s:cpo_save
unlet s:cpo_save
